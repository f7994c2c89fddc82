import pytest
from django.core.management import call_command
from django.utils import timezone

from urgentaction.actions.tests.factories import ActionFactory, SupporterFactory, valid_data
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings import emails
from urgentaction.mailings.emails import build_message, queue_email, send_due_emails, store_email
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Suppression

pytestmark = pytest.mark.django_db


def test_replies_to_our_emails_reach_the_organisation(settings):
    settings.CONTACT_EMAIL = "help@rights.example"
    email = queue_email(
        to="ada@people.example",
        template="my_data_link",
        context={"supporter": ActionFactory().supporter, "url": "https://x.example/"},
    )

    message = build_message(email)

    assert message.reply_to == ["help@rights.example"]
    assert "noreply@" in message.from_email


def test_without_a_contact_address_no_email_has_a_reply_to(settings):
    settings.CONTACT_EMAIL = ""
    email = queue_email(
        to="ada@people.example",
        template="my_data_link",
        context={"supporter": ActionFactory().supporter, "url": "https://x.example/"},
    )

    assert build_message(email).reply_to == []


@pytest.mark.parametrize("contact", ["help@rights.example", ""])
def test_an_email_invites_a_reply_only_where_one_reaches_someone(client, settings, contact):
    settings.CONTACT_EMAIL = contact
    client.post(CampaignFactory().get_absolute_url(), valid_data())

    email = emails.with_words(OutboundEmail.objects.get(kind="confirm_letter"))

    for body in (email.text, email.html):
        assert "If this was not you, ignore this email: nothing will be sent." in body
        assert ("reply to tell us" in body) == bool(contact)


def test_an_email_rendered_as_it_is_sent_keeps_its_subject_but_not_its_words(client, smtp_server):
    client.post(CampaignFactory(title="Free the three").get_absolute_url(), valid_data())

    call_command("worker", "--until-idle")

    email = OutboundEmail.objects.get(kind="confirm_letter")
    assert email.subject == smtp_server.messages[-1]["Subject"]
    assert "Confirm your letter: Free the three" in email.subject
    assert (email.text, email.html) == ("", "")


def test_without_a_contact_address_a_held_letter_points_its_writer_to_erasing_it(client, settings):
    settings.CONTACT_EMAIL = ""
    campaign = CampaignFactory(requires_confirmation=False)
    client.post(campaign.get_absolute_url(), valid_data(website="http://spam.example"))

    email = OutboundEmail.objects.get(kind="letter_received")

    for body in (email.text, email.html):
        assert "If this was not you, erase it: ask for a link at " in body
        assert "http://127.0.0.1:8000/my-data/" in body
        assert "reply" not in body


@pytest.fixture
def flaky_renderer(monkeypatch):
    """A kind of email rendered when sent whose first rendering fails, as one would while
    the database is locked; the list of the rows it was asked to render."""
    tries = []

    def render(email: OutboundEmail) -> tuple[str, str, str]:
        tries.append(email.pk)
        if len(tries) == 1:
            raise ValueError("database is locked")
        return "Your letter", "Its text", "<p>Its text</p>"

    monkeypatch.setitem(emails._renderers, "flaky", render)
    return tries


def test_an_email_that_cannot_be_rendered_is_tried_again_and_logged(
    smtp_server, flaky_renderer, caplog
):
    email = store_email(to="ada@people.example", template="flaky")

    send_due_emails()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.PENDING, 1)
    assert "NotRendered" in email.last_error
    assert "database is locked" in caplog.text  # the traceback, for a maintainer
    assert smtp_server.messages == []
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    send_due_emails()

    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert [message["Subject"] for message in smtp_server.messages] == ["Your letter"]
    # Sent, it keeps its subject (what it was about) and no words: they are made from
    # what it points at.
    assert (email.subject, email.text, email.html) == ("Your letter", "", "")


@pytest.mark.parametrize("suppressed", [False, True])
def test_news_goes_only_to_someone_not_suppressed_since_it_was_queued(smtp_server, suppressed):
    reader = SupporterFactory(email="ada@people.example")
    email = queue_email(
        to=reader.email,
        template="my_data_link",
        context={"supporter": reader, "url": "https://x.example/"},
    )
    # News to many (a case's notice) names its reader.
    OutboundEmail.objects.filter(pk=email.pk).update(supporter=reader)
    if suppressed:
        Suppression.objects.create(email_hash=reader.email_hash, reason="complaint")

    send_due_emails()

    email.refresh_from_db()
    if suppressed:
        assert (smtp_server.messages, email.status) == ([], OutboxStatus.CANCELLED)
    else:
        assert [m["To"] for m in smtp_server.messages] == ["ada@people.example"]
        assert email.status == OutboxStatus.SENT
