import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from urgentaction.actions.confirmation import COOKIE_NAME, expire_unconfirmed, send_reminders
from urgentaction.actions.models import Action, ConfirmationLink, Delivery
from urgentaction.actions.tests.factories import ActionFactory, DeliveryFactory, valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.conftest import confirm_path, same_page
from urgentaction.lib.hashing import email_hash
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.emails import send_due_emails, with_words
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Supporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def written(client, campaign):
    client.post(campaign.get_absolute_url(), valid_data())
    return Action.objects.get()


def held(action: Action) -> bool:
    return set(action.deliveries.values_list("status", flat=True)) == {Delivery.Status.HELD}


def test_the_email_names_the_campaign_and_target_and_carries_the_link(written):
    email = OutboundEmail.objects.get(kind="confirm_letter")

    token = confirm_path(email).split("/")[2]
    assert len(token) >= 22  # at least 128 bits, base64
    target = written.campaign.targets.get()
    for body in (email.text, email.html):
        assert written.campaign.title in body
        assert target.display_name in body
        assert "If this was not you, ignore this email" in body
    assert ConfirmationLink.objects.get().token_hash != token


def test_the_email_is_stored_with_the_letter_and_rendered_with_its_link_when_sent(
    client, written, smtp_server
):
    email = OutboundEmail.objects.get(kind="confirm_letter")
    assert (email.to, email.action, email.text, email.html) == (written.email, written, "", "")
    assert not ConfirmationLink.objects.exists()

    send_due_emails()

    (message,) = smtp_server.messages
    assert message["To"] == written.email
    assert message["Subject"].endswith(f"Confirm your letter: {written.campaign.title}")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    path = re.search(r"http://127\.0\.0\.1:8000(/confirm/[^/\s]+/)", text).group(1)
    assert path in html
    assert client.post(path).status_code == 302
    assert Action.objects.get().confirmed_at is not None


def test_a_confirmation_for_a_letter_confirmed_since_is_not_sent(client, written, smtp_server):
    Action.objects.update(created_at=timezone.now() - timedelta(hours=25))
    send_reminders()
    client.post(confirm_path(OutboundEmail.objects.get(kind="confirm_letter")))

    send_due_emails()

    reminder = OutboundEmail.objects.get(kind="confirm_reminder")
    assert reminder.status == OutboxStatus.CANCELLED
    assert [message["Subject"] for message in smtp_server.messages] == []
    assert not ConfirmationLink.objects.exists()


def test_the_email_quotes_nothing_its_sender_typed(client, campaign):
    """Anyone can type a stranger's address: the email must not carry their words to it."""
    client.post(
        campaign.get_absolute_url(),
        valid_data(
            first_name="Cheap pills",
            last_name="at pills.example",
            subject="Buy cheap pills",
            body="Dear Sir\r\n\r\nVisit pills.example for cheap pills.\r\n\r\nYours",
        ),
    )

    email = OutboundEmail.objects.get(kind="confirm_letter")

    for text in (email.subject, email.text, email.html):
        assert "pills" not in text.lower()


def test_the_reminder_quotes_nothing_its_sender_typed_either(written):
    Action.objects.filter(pk=written.pk).update(created_at=timezone.now() - timedelta(days=2))

    send_reminders()

    reminder = OutboundEmail.objects.get(kind="confirm_reminder")
    for text in (reminder.text, reminder.html):
        assert "Please act now." not in text
        assert "Ada" not in text
        assert confirm_path(reminder).startswith("/confirm/")


def test_the_link_shows_which_letter_it_sends_to_whom(client, written):
    path = confirm_path(OutboundEmail.objects.get())

    html = client.get(path).content.decode()

    target = written.campaign.targets.get()
    assert f">{written.campaign.title}</a>" in html
    assert target.display_name in html
    assert "Ada Lovelace" in html
    assert "Please stop the deportation" in html  # the subject
    assert "<p>Dear Foreign Secretary</p>\n\n<p>Please act now.</p>" in html
    assert "Send my letter" in html


def test_a_long_letter_shows_its_first_lines_and_the_rest_on_request(client, campaign):
    long_letter = "Dear Foreign Secretary\r\n\r\n" + "I am writing to you today. " * 40
    client.post(campaign.get_absolute_url(), valid_data(body=long_letter))

    html = client.get(confirm_path(OutboundEmail.objects.get())).content.decode()

    assert '<div class="letter"><p>Dear Foreign Secretary</p>' in html
    assert "I am writing to you today. I am writing to you …</p>" in html
    assert "<summary>Show the whole letter</summary>" in html
    assert "Ada Lovelace<br>1 High Street" in html  # the whole letter, signed


def test_the_page_shows_the_letter_escaped(client, campaign):
    client.post(campaign.get_absolute_url(), valid_data(body="<script>alert(1)</script> Hello"))

    html = client.get(confirm_path(OutboundEmail.objects.get())).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Hello" in html


@pytest.mark.parametrize("token", ["no-such-token", "used"])
def test_a_link_that_no_longer_works_says_so_when_opened(client, written, token):
    path = confirm_path(OutboundEmail.objects.get())
    if token == "used":
        client.post(path)
    else:
        path = f"/confirm/{token}/"

    html = client.get(path).content.decode()

    assert "This link no longer works" in html
    assert "Please act now." not in html


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_the_link_changes_nothing(client, written, method):
    path = confirm_path(OutboundEmail.objects.get())

    response = getattr(client, method)(path)

    assert response.status_code == 200
    written.refresh_from_db()
    assert written.confirmed_at is None
    assert held(written)
    assert COOKIE_NAME not in response.cookies


def test_pressing_the_button_sends_the_letter_once(client, written, campaign):
    path = confirm_path(OutboundEmail.objects.get())
    assert "Send my letter" in client.get(path).content.decode()

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"/actions/{campaign.slug}/thanks/?state=")
    written.refresh_from_db()
    assert written.confirmed_at is not None
    assert set(written.deliveries.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    campaign.refresh_from_db()
    assert campaign.action_count == 1
    assert COOKIE_NAME in response.cookies
    assert response.cookies[COOKIE_NAME]["httponly"]
    assert (
        "Your letter is on its way"
        in client.get(response["Location"], follow=True).content.decode()
    )


def test_the_confirmed_page_says_when_a_letter_behind_the_targets_pace_should_go(client):
    target = TargetFactory(office="Foreign Secretary", holder="", hourly_cap=30)
    campaign = CampaignFactory(targets=[target])
    with time_machine.travel(datetime(2027, 3, 1, 14, 0, tzinfo=UTC), tick=False):
        others = CampaignFactory(targets=[target])
        for _ in range(5):
            DeliveryFactory(action=ActionFactory(campaign=others), target=target)
        client.post(campaign.get_absolute_url(), valid_data())

        response = client.post(confirm_path(OutboundEmail.objects.get()), follow=True)

    html = response.content.decode()
    assert "Your letter is on its way" in html
    assert (
        "at most 30 letters an hour, so that each one is read: yours should go at about 14:10."
        in html
    )


def test_unknown_used_and_expired_links_all_get_the_same_answer(client, campaign):
    client.post(campaign.get_absolute_url(), valid_data())
    client.post(campaign.get_absolute_url(), valid_data(email="bob@people.example"))
    used, expiring = [confirm_path(e) for e in OutboundEmail.objects.order_by("pk")]
    client.post(used)
    Action.objects.filter(supporter__email_hash=email_hash("bob@people.example")).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    expire_unconfirmed()

    paths = (used, expiring, "/confirm/no-such-token/")
    answers = [same_page(client.post(path).content, path) for path in paths]

    assert answers[0] == answers[1] == answers[2]
    assert b"This link no longer works" in answers[0]
    assert Action.objects.filter(confirmed_at__isnull=False).count() == 1


def test_a_browser_that_confirmed_an_address_is_not_asked_again(client):
    first, second = CampaignFactory(), CampaignFactory()
    client.post(first.get_absolute_url(), valid_data())
    client.post(confirm_path(OutboundEmail.objects.get()))

    client.post(second.get_absolute_url(), valid_data(first_name="Augusta"))

    action = Action.objects.get(campaign=second)
    assert action.confirmed_at is not None
    assert set(action.deliveries.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    assert OutboundEmail.objects.count() == 1
    assert Supporter.objects.get().first_name == "Augusta"


def test_knowing_the_address_is_not_enough_to_skip_confirmation(client):
    first, second = CampaignFactory(), CampaignFactory()
    client.post(first.get_absolute_url(), valid_data())
    client.post(confirm_path(OutboundEmail.objects.get()))

    Client().post(second.get_absolute_url(), valid_data(first_name="Mallory"))

    action = Action.objects.get(campaign=second)
    assert action.confirmed_at is None
    assert held(action)
    assert Supporter.objects.get().first_name == "Ada"


def test_a_campaign_can_do_without_confirmation(client):
    campaign = CampaignFactory(requires_confirmation=False)

    client.post(campaign.get_absolute_url(), valid_data())

    action = Action.objects.get()
    assert action.confirmed_at is not None
    assert not OutboundEmail.objects.exists()


def test_it_reminds_once_after_a_day(written):
    assert send_reminders() == 0
    Action.objects.update(created_at=timezone.now() - timedelta(hours=25))

    assert send_reminders() == 1
    assert send_reminders() == 0

    reminder = with_words(OutboundEmail.objects.get(kind="confirm_reminder"))
    assert "has not been sent yet" in reminder.text
    # Each link is made as its email is sent.
    assert ConfirmationLink.objects.count() == 1


def test_both_the_first_link_and_the_reminders_link_work(client, written):
    Action.objects.update(created_at=timezone.now() - timedelta(hours=25))
    send_reminders()
    first = confirm_path(OutboundEmail.objects.get(kind="confirm_letter"))

    assert client.post(first).status_code == 302
    assert not ConfirmationLink.objects.exists()


def test_an_unconfirmed_letter_expires_after_a_week_and_its_text_is_deleted(written):
    Action.objects.update(created_at=timezone.now() - timedelta(days=6, hours=23))
    assert expire_unconfirmed() == 0
    Action.objects.update(created_at=timezone.now() - timedelta(days=7, minutes=1))

    assert expire_unconfirmed() == 1

    written.refresh_from_db()
    assert written.expired_at is not None
    assert (written.subject, written.body) == ("", "")
    assert set(written.deliveries.values_list("status", flat=True)) == {Delivery.Status.CANCELLED}
    email = OutboundEmail.objects.get()
    assert (email.text, email.html, email.status) == ("", "", OutboxStatus.CANCELLED)
    assert not ConfirmationLink.objects.exists()


def test_a_supporter_whose_letter_expired_can_write_again(client, written, campaign):
    Action.objects.update(created_at=timezone.now() - timedelta(days=8))
    expire_unconfirmed()

    client.post(campaign.get_absolute_url(), valid_data())

    assert Action.objects.current().count() == 1
    assert Action.objects.count() == 2


def test_a_link_older_than_the_expiry_fails_even_before_the_clean_up_runs(client, written):
    path = confirm_path(OutboundEmail.objects.get())
    Action.objects.update(created_at=timezone.now() - timedelta(days=8))

    response = client.post(path)

    assert b"This link no longer works" in response.content
    written.refresh_from_db()
    assert written.confirmed_at is None


def test_an_expired_letter_keeps_nothing_of_its_writer(written):
    Action.objects.update(created_at=timezone.now() - timedelta(days=8))

    expire_unconfirmed()

    written.refresh_from_db()
    assert (written.first_name, written.email, written.address_line1, written.town) == (
        "",
        "",
        "",
        "",
    )
