import re
import uuid
from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import time_machine
from django.core import signing
from django.db.models import F
from django.test import Client
from django.urls import reverse

from urgentaction.actions import thanks_state, views
from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory, valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory

pytestmark = pytest.mark.django_db


def act(client, campaign, **overrides):
    """Write a letter and open the thank-you page the submit sends the browser to."""
    sent = client.post(campaign.get_absolute_url(), valid_data(**overrides))
    return client.get(sent["Location"], follow=True)


def thanks_with(client, campaign, state: str):
    address = reverse("actions:thanks", kwargs={"slug": campaign.slug})
    return client.get(address, {"state": state}, follow=True).content.decode()


def test_it_tells_a_supporter_their_letter_is_on_its_way(client):
    campaign = CampaignFactory(
        targets=[TargetFactory(office="Foreign Secretary", holder="")], requires_confirmation=False
    )

    response = act(client, campaign)

    html = response.content.decode()
    assert "Your letter is on its way" in html
    assert "We will email your letter to Foreign Secretary" in html
    assert "from “Ada Lovelace via Test Rights Network”" in html
    assert "<strong>1</strong> person has written so far" in html


def test_it_shows_the_count_as_it_is_now_and_no_cache_may_keep_it(client):
    campaign = CampaignFactory(requires_confirmation=False)
    client.get(campaign.get_absolute_url())  # the page, with its count, now in the caches
    # Others write meanwhile.
    Campaign.objects.filter(pk=campaign.pk).update(action_count=F("action_count") + 41)

    response = act(client, campaign)

    assert "<strong>42</strong> people have written so far" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def queue_letters(target, count: int) -> None:
    waiting = CampaignFactory(targets=[target])
    for _ in range(count):
        DeliveryFactory(action=ActionFactory(campaign=waiting), target=target)


def test_it_says_when_a_letter_queued_behind_the_targets_pace_should_go(client):
    target = TargetFactory(office="Foreign Secretary", holder="", hourly_cap=30)
    campaign = CampaignFactory(targets=[target], requires_confirmation=False)
    with time_machine.travel(datetime(2027, 3, 1, 14, 0, tzinfo=UTC), tick=False):
        queue_letters(target, 5)

        html = act(client, campaign).content.decode()

    # Five letters go first, one every two minutes.
    assert (
        "We send Foreign Secretary at most 30 letters an hour, so that each one is read: "
        "yours should go at about 14:10." in html
    )
    assert "within the next few minutes" not in html


def test_it_names_the_day_when_the_letter_goes_on_another(client):
    target = TargetFactory(office="Foreign Secretary", holder="", hourly_cap=2)
    campaign = CampaignFactory(targets=[target], requires_confirmation=False)
    # 23:00 in London on 1 March; the fourth letter goes an hour and a half later.
    with time_machine.travel(datetime(2027, 3, 1, 23, 0, tzinfo=UTC), tick=False):
        queue_letters(target, 3)

        html = act(client, campaign).content.decode()

    assert "yours should go at about 00:30 on 2 March." in html


def test_it_says_when_a_letter_waiting_for_office_hours_should_go(client):
    target = TargetFactory(
        office="Foreign Secretary",
        holder="",
        hourly_cap=None,
        sending_from=time(9, 0),
        sending_until=time(17, 0),
    )
    campaign = CampaignFactory(targets=[target], requires_confirmation=False)
    with time_machine.travel(datetime(2027, 3, 1, 7, 0, tzinfo=UTC), tick=False):
        html = act(client, campaign).content.decode()

    assert (
        "We send letters to Foreign Secretary only in their office hours: yours should go "
        "at about 09:00." in html
    )


def test_it_says_nothing_of_pace_when_the_letter_goes_at_once(client):
    campaign = CampaignFactory(requires_confirmation=False)

    html = act(client, campaign).content.decode()

    assert "within the next few minutes" in html
    assert "should go at about" not in html


def test_it_asks_the_supporter_to_confirm_by_email(client):
    campaign = CampaignFactory()

    html = act(client, campaign).content.decode()

    assert "Check your inbox to send your letter" in html
    assert "We have sent an email to ada@people.example." in html
    assert "If you do not confirm within 7 days, we delete your letter." in html
    assert "person has written" not in html


def test_it_offers_the_letter_ready_to_send_from_the_supporters_own_email(client):
    target = TargetFactory(email="fs@government.example")
    campaign = CampaignFactory(targets=[target])

    response = act(client, campaign, channel="mail_app", subject="Stop it & act")

    html = response.content.decode()
    assert "Now send your letter from your email" in html
    mailto = response.context["compose_links"]["mailto"]
    address, _, query = mailto.partition("?")
    assert address == "mailto:fs@government.example"
    fields = {key: unquote(value) for key, value in (p.split("=") for p in query.split("&"))}
    assert fields["subject"] == "Stop it & act"
    assert fields["body"].startswith(
        f"Reference: {campaign.reference}\r\n\r\nDear Foreign Secretary\r\n\r\nPlease act now."
    )
    assert fields["body"].endswith(
        "Ada Lovelace\r\n1 High Street\r\nLeeds\r\nLS1 1AA\r\nUnited Kingdom\r\n"
    )
    gmail = parse_qs(urlsplit(response.context["compose_links"]["gmail"]).query)
    assert gmail["to"] == ["fs@government.example"]
    assert gmail["su"] == ["Stop it & act"]
    outlook = parse_qs(urlsplit(response.context["compose_links"]["outlook"]).query)
    assert outlook["subject"] == ["Stop it & act"]


BUTTON = re.compile(r'<(a|button)\b[^>]*class="(button\b[^"]*)"[^>]*>(.*?)</\1>', re.S)


def primary_buttons(html: str) -> list[str]:
    """The words on the buttons drawn as the page's main action."""
    return [
        re.sub(r"<[^>]+>|\s+", " ", words).strip()
        for _tag, classes, words in BUTTON.findall(html)
        if "button--secondary" not in classes.split()
    ]


@pytest.mark.parametrize(
    ("channel", "primary"),
    [("mail_app", "Open in my email app"), ("post", "Download your letter (PDF)")],
)
def test_the_one_main_button_is_what_the_supporter_came_to_do(client, channel, primary):
    campaign = CampaignFactory()

    html = act(client, campaign, channel=channel).content.decode()

    assert primary_buttons(html) == [primary]
    for secondary in ["Copy address", "Copy letter", "Copy link"]:
        assert secondary in html


@pytest.mark.parametrize("confirm", [True, False], ids=["to confirm", "on its way"])
def test_a_supporter_whose_letter_we_send_is_offered_no_main_button(client, confirm):
    campaign = CampaignFactory(requires_confirmation=confirm)

    html = act(client, campaign).content.decode()

    assert primary_buttons(html) == []


def test_a_letter_waiting_for_its_writer_is_information_not_success(client):
    html = act(client, CampaignFactory()).content.decode()

    assert '<div class="panel panel--info">' in html
    assert "panel--confirmation" not in html


def test_it_shows_the_address_to_post_the_letter_to(client):
    campaign = CampaignFactory(targets=[TargetFactory(postcode="SW1A 2AH")])

    html = act(client, campaign, channel="post").content.decode()

    assert "Your letter is ready to print" in html
    assert '<address class="envelope">' in html
    assert "SW1A 2AH" in html


def test_it_shows_the_letter_escaped(client):
    campaign = CampaignFactory()

    html = act(client, campaign, body="<script>alert('x')</script> <b>bold</b>").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in html


def test_it_shares_the_campaign_with_plain_links(client):
    campaign = CampaignFactory()

    html = act(client, campaign).content.decode()

    for start in [
        "https://wa.me/?text=",
        "https://t.me/share/url?url=",
        "https://bsky.app/intent/compose?text=",
        "https://share.joinmastodon.org/#text=",
        "https://twitter.com/intent/tweet?text=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "mailto:?subject=",
    ]:
        assert f'<a href="{start}' in html
    assert "http%3A%2F%2Ftestserver%2Factions%2F" in html
    assert "utm_" not in html
    assert "<script src" in html and html.count("<script") == 1


def test_the_signed_thank_you_state_refuses_a_forged_one(client):
    campaign = CampaignFactory()
    sent = client.post(campaign.get_absolute_url(), valid_data())
    state = parse_qs(urlsplit(sent["Location"]).query)["state"][0]
    action = Action.objects.get()
    forged = signing.dumps([campaign.pk, action.pk, False], salt="another.salt")
    other_campaign = CampaignFactory()
    elsewhere = signing.dumps([other_campaign.pk, action.pk, False], salt=views.THANKS_SALT)

    assert "Please act now." in thanks_with(client, campaign, state)
    # The signature with its last character changed.
    tampered = state[:-1] + ("A" if state[-1] != "A" else "B")
    for refused in (forged, tampered, "", "not-a-state"):
        html = thanks_with(client, campaign, refused)
        assert "Thank you for taking action" in html
        assert "Please act now." not in html
    assert "Please act now." not in thanks_with(client, other_campaign, elsewhere)


def test_the_signed_thank_you_state_refuses_an_expired_one(client):
    campaign = CampaignFactory()
    sent = client.post(campaign.get_absolute_url(), valid_data())

    later = datetime.now(UTC) + timedelta(seconds=thanks_state.STATE_SECONDS + 60)
    with time_machine.travel(later):
        html = client.get(sent["Location"], follow=True).content.decode()

    assert "Thank you for taking action" in html
    assert "Please act now." not in html


def test_a_submit_sets_no_cookie_and_the_address_names_only_the_letter(client):
    campaign = CampaignFactory()

    response = client.post(campaign.get_absolute_url(), valid_data(form_token=str(uuid.uuid4())))

    assert not response.cookies
    address = urlsplit(response["Location"])
    assert address.path == f"/actions/{campaign.slug}/thanks/"
    state = parse_qs(address.query)["state"][0]
    named = signing.loads(state, salt=views.THANKS_SALT)
    assert named == [campaign.pk, Action.objects.get().pk, False]


def test_the_page_takes_its_state_out_of_the_address_people_copy_to_share(client):
    """The address bar shows the plain page: someone who opens a copied address sees no
    letter; the browser that wrote sees its own, for as long as the state lasts."""
    campaign = CampaignFactory()
    sent = client.post(campaign.get_absolute_url(), valid_data())

    opened = client.get(sent["Location"])

    plain = f"/actions/{campaign.slug}/thanks/"
    assert opened.status_code == 302
    assert opened["Location"] == plain
    cookie = opened.cookies[thanks_state.COOKIE]
    assert cookie["path"] == plain
    assert cookie["max-age"] == thanks_state.STATE_SECONDS
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "Please act now." in client.get(plain).content.decode()
    someone_else = Client()
    assert "Please act now." not in someone_else.get(plain).content.decode()


def test_a_state_refused_in_the_address_clears_the_one_kept(client):
    campaign = CampaignFactory()
    address = reverse("actions:thanks", kwargs={"slug": campaign.slug})

    opened = client.get(address, {"state": "not-a-state"})

    assert opened["Location"] == address
    assert opened.cookies[thanks_state.COOKIE].value == ""
    assert opened.cookies[thanks_state.COOKIE]["max-age"] == 0


@pytest.mark.parametrize(
    ("channel", "button"), [("mail_app", "Yes, I sent it"), ("post", "Yes, I posted it")]
)
def test_a_letter_sent_by_the_supporter_counts_once_they_say_so(client, channel, button):
    campaign = CampaignFactory()

    html = act(client, campaign, channel=channel).content.decode()
    assert button in html
    campaign.refresh_from_db()
    assert campaign.action_count == 0

    state = re.search(r'name="state" value="([^"]+)"', html).group(1)
    sent = reverse("actions:sent", kwargs={"slug": campaign.slug})
    client.post(sent, {"state": state})
    again = client.post(sent, {"state": state})

    campaign.refresh_from_db()
    assert campaign.action_count == 1
    html = client.get(again["Location"], follow=True).content.decode()
    assert "Thank you: your letter is counted." in html


def test_saying_so_without_a_letter_counts_nothing(client):
    campaign = CampaignFactory()

    client.post(reverse("actions:sent", kwargs={"slug": campaign.slug}))

    campaign.refresh_from_db()
    assert campaign.action_count == 0


@pytest.mark.parametrize("slug", ["no-such-campaign", "a-draft"])
def test_the_thank_you_page_of_an_unknown_or_draft_campaign_is_not_found(client, slug):
    CampaignFactory(slug="a-draft", status="draft")

    assert client.get(reverse("actions:thanks", kwargs={"slug": slug})).status_code == 404


def test_it_shows_what_the_campaign_tells_supporters_after_sending(client):
    campaign = CampaignFactory(
        requires_confirmation=False,
        thank_you="The hearing is on 3 May.\n\nCome to the vigil <b>outside</b>.",
    )

    html = act(client, campaign).content.decode()

    assert "<p>The hearing is on 3 May.</p>" in html
    assert "<p>Come to the vigil &lt;b&gt;outside&lt;/b&gt;.</p>" in html
