import re
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from urgentaction.actions.models import Action, Delivery
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.lib.encryption import AEAD, decrypt
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Supporter

pytestmark = pytest.mark.django_db


def post(client, campaign, data):
    return client.post(campaign.get_absolute_url(), data)


def test_it_stores_supporter_action_and_a_delivery_per_target(client):
    targets = [TargetFactory(), TargetFactory(office="Home Secretary")]
    campaign = CampaignFactory(targets=targets, requires_confirmation=False)

    response = post(client, campaign, valid_data())

    assert response.status_code == 302
    thanks = reverse("actions:thanks", kwargs={"slug": campaign.slug})
    assert response["Location"].startswith(f"{thanks}?state=")
    action = Action.objects.get()
    assert action.supporter == Supporter.objects.with_email("ada@people.example").get()
    assert action.body == "Dear Foreign Secretary\n\nPlease act now.\n\nYours sincerely"
    assert (action.channel, action.source, action.referrer) == (
        "email",
        "newsletter",
        "https://news.example/story",
    )
    assert sorted(d.target_id for d in action.deliveries.all()) == sorted(t.pk for t in targets)
    assert set(action.deliveries.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    campaign.refresh_from_db()
    assert campaign.action_count == 1


def test_the_writers_details_are_encrypted_once_for_the_letter_and_the_supporter(client):
    """The same ciphertext in both rows: one encryption of each detail a letter."""
    campaign = CampaignFactory()

    post(client, campaign, valid_data())

    action = Action.objects.get()
    for column in ("email", "first_name", "address_line1", "country"):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.{column}, s.{column} FROM actions_action a "  # noqa: S608
                "JOIN supporters_supporter s ON s.id = a.supporter_id WHERE a.id = %s",
                [action.pk],
            )
            on_letter, on_supporter = map(bytes, cursor.fetchone())
        assert on_letter == on_supporter
        assert on_letter.startswith(AEAD)
    assert decrypt(on_letter) == "United Kingdom" == action.supporter.country


def test_it_holds_the_letter_until_the_supporter_confirms_their_address(client):
    campaign = CampaignFactory()

    post(client, campaign, valid_data())

    action = Action.objects.get()
    assert action.confirmed_at is None
    assert set(action.deliveries.values_list("status", flat=True)) == {Delivery.Status.HELD}
    email = OutboundEmail.objects.get()
    assert (email.kind, email.to) == ("confirm_letter", "ada@people.example")
    campaign.refresh_from_db()
    assert campaign.action_count == 0


def test_it_does_not_make_a_second_action_when_the_same_form_is_submitted_again(client):
    campaign = CampaignFactory(requires_confirmation=False)
    data = valid_data()

    first = post(client, campaign, data)
    second = post(client, campaign, data)

    assert first.status_code == second.status_code == 302
    assert Action.objects.count() == 1
    assert Delivery.objects.count() == 1
    campaign.refresh_from_db()
    assert campaign.action_count == 1


def test_the_browsers_token_makes_a_resubmit_harmless_and_not_a_repeat(client):
    campaign = CampaignFactory(requires_confirmation=False)
    pages = [client.get(campaign.get_absolute_url()).content for _ in range(2)]
    # The page is the same for everyone; the browser (enhance.js) gives each form a token.
    assert pages[0] == pages[1]
    assert re.search(rb'<input type="hidden" name="form_token" id="id_form_token">', pages[0])
    token = str(uuid.uuid4())

    post(client, campaign, valid_data(form_token=token))
    sent = post(client, campaign, valid_data(form_token=token))

    thanks = client.get(sent["Location"], follow=True).content.decode()
    assert "Your letter is on its way" in thanks
    assert Action.objects.count() == 1


def test_without_a_token_a_second_submit_still_makes_no_second_letter(client):
    campaign = CampaignFactory(requires_confirmation=False)

    post(client, campaign, valid_data(form_token=""))
    post(client, campaign, valid_data(form_token=""))

    assert Action.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_it_reuses_the_supporter_for_the_same_email_in_any_case(client):
    post(client, CampaignFactory(), valid_data())
    post(client, CampaignFactory(), valid_data(email="  ADA@People.Example ", first_name="Augusta"))

    supporter = Supporter.objects.get()
    assert Action.objects.filter(supporter=supporter).count() == 2
    # Knowing an address is not enough to change its owner's details.
    assert supporter.first_name == "Ada"
    assert sorted(Action.objects.values_list("first_name", flat=True)) == ["Ada", "Augusta"]


@pytest.mark.parametrize("channel", ["mail_app", "post"])
def test_it_makes_no_delivery_when_the_supporter_sends_it_themselves(client, channel):
    campaign = CampaignFactory()

    post(client, campaign, valid_data(channel=channel))

    assert Action.objects.get().channel == channel
    assert not Delivery.objects.exists()


def test_it_shows_every_error_and_keeps_what_was_typed(client):
    campaign = CampaignFactory()
    data = valid_data(first_name="   ", email="not-an-email", channel="")

    response = post(client, campaign, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert html.index("There is a problem") < html.index("<h1>")
    for message, anchor in [
        ("Enter your first name", "id_first_name"),
        ("Enter an email address in the correct format, like name@example.com", "id_email"),
        ("Select how you want to send your letter", "id_channel_0"),
    ]:
        assert f'<a href="#{anchor}">{message}</a>' in html
        assert f'<span class="visually-hidden">Error:</span> {message}' in html
    assert 'value="not-an-email"' in html
    assert 'value="Lovelace"' in html
    assert "Please act now." in html
    assert 'aria-describedby="id_email-hint id_email-error"' in html
    assert not Action.objects.exists()


def test_it_refuses_a_letter_over_20000_characters_and_keeps_it(client):
    campaign = CampaignFactory()
    letter = "Dear Foreign Secretary " + "x" * 20_000

    response = post(client, campaign, valid_data(body=letter))

    assert response.status_code == 400
    assert "Your letter must be 20,000 characters or less" in response.content.decode()
    assert letter in response.content.decode()
    assert not Action.objects.exists()


def test_it_counts_a_line_break_as_one_character_as_the_browser_does(client):
    campaign = CampaignFactory()
    letter = "abc\r\n" * 4_999 + "abcd"  # 24,999 sent; 20,000 once each CRLF counts as one

    response = post(client, campaign, valid_data(body=letter))

    assert response.status_code == 302
    assert len(Action.objects.get().body) == 20_000


def test_it_refuses_a_header_injection_in_the_name(client):
    campaign = CampaignFactory()

    response = post(client, campaign, valid_data(first_name="Ada\r\nBcc: victim@example.com"))

    assert response.status_code == 400
    assert "Enter your first name on one line" in response.content.decode()
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "first_name",
            "=?utf-8?q?Eve=0D=0ABcc:_x@y?=",
            "Enter your first name without the characters =? and ?=",
        ),
        ("subject", "=?utf-8?b?SGk=?=", "Enter a subject without the characters =? and ?="),
        ("last_name", "Lovelace\x85Bcc: victim@example.com", "Enter your last name on one line"),
        ("town", "Lee\x1eds", "Enter your town or city without tabs or other hidden"),
        ("first_name", "Ada\tLovelace", "Enter your first name without tabs or other hidden"),
        ("address_line1", "1 High\x9bStreet", "Enter your address without tabs or other hidden"),
    ],
)
def test_it_refuses_what_a_mail_app_would_read_as_a_header_and_says_why(
    client, field, value, message
):
    campaign = CampaignFactory()

    response = post(client, campaign, valid_data(**{field: value}))

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'value="{value}"' in html
    assert not Action.objects.exists()


def test_it_explains_an_address_with_an_accent_before_the_at_and_keeps_it(client):
    campaign = CampaignFactory()

    response = post(client, campaign, valid_data(email="zoë@example.org"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "without accents or other special characters before the @, like name@" in html
    assert 'value="zoë@example.org"' in html
    assert not Action.objects.exists()


def test_it_does_not_offer_or_accept_a_channel_the_campaign_does_not_offer(client):
    campaign = CampaignFactory(offers_email=False)

    page = client.get(campaign.get_absolute_url()).content.decode()
    response = post(client, campaign, valid_data(channel="email"))

    assert 'value="email"' not in page
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_it_ignores_a_recipient_smuggled_into_the_form(client):
    campaign = CampaignFactory()

    post(client, campaign, valid_data(target="attacker@evil.example", to="attacker@evil.example"))

    delivery = Delivery.objects.get()
    assert delivery.target == campaign.targets.get()


def test_it_stores_nothing_when_part_of_the_action_cannot_be_stored(client, monkeypatch):
    campaign = CampaignFactory()

    def broken_message_id():
        raise RuntimeError("disk full")

    monkeypatch.setattr(Delivery, "new_message_id", staticmethod(broken_message_id))
    client.raise_request_exception = False
    response = post(client, campaign, valid_data())

    assert response.status_code == 500
    assert not Supporter.objects.exists()
    assert not Action.objects.exists()
    campaign.refresh_from_db()
    assert campaign.action_count == 0


@pytest.mark.parametrize("status", [Campaign.Status.CLOSED])
def test_it_takes_no_action_on_a_closed_campaign(client, status):
    campaign = CampaignFactory(status=status, outcome="The family reached safety.")

    response = post(client, campaign, valid_data())

    assert response.status_code == 200
    assert "This urgent action has closed" in response.content.decode()
    assert not Action.objects.exists()


def test_it_gives_404_for_a_draft_campaign(client):
    campaign = CampaignFactory(status=Campaign.Status.DRAFT)

    assert post(client, campaign, valid_data()).status_code == 404
    assert not Action.objects.exists()


def test_a_new_letter_costs_the_same_few_queries_whatever_the_number_of_targets(
    client, django_assert_num_queries
):
    """The submit path's statements, counted so that a change that adds one (or a query
    per target) is seen. Once the process keeps the campaign, the wording, the
    blocklists and the webhook endpoints that listen for new letters (actions/kept.py,
    core/kept.py: the first letter reads them): one read of their versions, the probe
    for an earlier letter or the same form, then one transaction (a savepoint here, in
    the test's transaction): the rate-limit counters with the proof's use (only the use
    when the counters are in Redis), the supporter, the letter, the dashboards' counter,
    its deliveries and the confirmation's email (the worker makes its link)."""
    statements = 10
    for count in (1, 3):
        campaign = CampaignFactory(targets=TargetFactory.create_batch(count))
        post(client, campaign, valid_data(email=f"first{count}@people.example"))
        data = valid_data(email=f"writer{count}@people.example")
        with django_assert_num_queries(statements):
            post(client, campaign, data)
        assert Delivery.objects.filter(action__campaign=campaign).count() == 2 * count
