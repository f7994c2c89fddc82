import io
from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import get_connection
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from urgentaction.actions.tests.factories import SupporterFactory
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.conftest import sign_in_staff
from urgentaction.core.models import AuditEntry
from urgentaction.lib import outbox
from urgentaction.mailings.emails import build_message, claimed_and_wanted, send_due_emails
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.mailings.tasks import (
    FORGOTTEN_AFTER,
    requeue_forgotten_updates,
    send_updates_job,
    start_sending,
)
from urgentaction.mailings.updates import fan_out, update_email
from urgentaction.supporters.consent import withdraw
from urgentaction.supporters.links import unsubscribe_url
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.django_db


@pytest.fixture
def wording():
    return ConsentText.objects.create(wording="Email me news.", details="Twice a month at most.")


def person(wording, email: str, *, confirmed: bool = True):
    supporter = SupporterFactory(email=email, first_name=email.split("@")[0].title())
    Consent.objects.create(
        supporter=supporter,
        email_hash=supporter.email_hash,
        text=wording,
        method=Consent.Method.SIGNUP_FORM,
        confirmed_at=timezone.now() if confirmed else None,
    )
    return supporter


@pytest.fixture
def update():
    return Update.objects.create(
        campaign=CampaignFactory(title="Free the three"),
        subject="They are free",
        body="Thanks to **your letters**, the three are free.\n\n<script>alert(1)</script> "
        "[bad](javascript:alert(1)) [good](https://news.example/free)",
    )


def send(update) -> None:
    start_sending(update)
    send_updates_job.call()
    OutboundEmail.objects.filter(update=update).update(next_attempt_at=timezone.now())
    call_command("worker", "--until-idle")


def test_an_update_reaches_each_confirmed_subscriber_once_with_list_headers(
    smtp_server, wording, update
):
    ada = person(wording, "ada@people.example")
    person(wording, "bob@people.example")
    person(wording, "waiting@people.example", confirmed=False)
    gone = person(wording, "gone@people.example")
    withdraw(gone, how="test")

    send(update)
    call_command("worker", "--until-idle")

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "ada@people.example",
        "bob@people.example",
    ]
    [to_ada] = [m for m in smtp_server.messages if m["To"] == "ada@people.example"]
    assert to_ada["From"].addresses[0].addr_spec == "updates@rights.example"
    assert to_ada["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"<{unsubscribe_url(ada)}>" in to_ada["List-Unsubscribe"]
    assert "<mailto:unsubscribe@rights.example?subject=unsubscribe%20" in to_ada["List-Unsubscribe"]
    assert to_ada["List-Id"] == "Test Rights Network updates <updates.rights.example>"
    update.refresh_from_db()
    assert (update.status, update.recipients) == (Update.Status.SENT, 2)


def test_the_text_is_rendered_safely(smtp_server, wording, update):
    person(wording, "ada@people.example")

    send(update)

    [message] = smtp_server.messages
    html = message.get_body(("html",)).get_content()
    assert "<strong>your letters</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert 'href="https://news.example/free"' in html
    assert "**your letters**" in message.get_body(("plain",)).get_content()


def test_queuing_twice_never_makes_a_second_copy(wording, update):
    for n in range(3):
        person(wording, f"p{n}@people.example")
    start_sending(update)

    fan_out()
    fan_out()

    assert OutboundEmail.objects.filter(update=update).count() == 3


def test_updates_are_paced(wording, update, settings):
    settings.UPDATE_EMAILS_PER_MINUTE = 60
    for n in range(3):
        person(wording, f"p{n}@people.example")
    start_sending(update)

    fan_out()

    times = list(
        OutboundEmail.objects.order_by("next_attempt_at").values_list("next_attempt_at", flat=True)
    )
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert gaps == [timedelta(seconds=1)] * 2


def test_someone_who_unsubscribes_after_queuing_gets_nothing(smtp_server, wording, update):
    ada = person(wording, "ada@people.example")
    start_sending(update)
    fan_out()
    withdraw(ada, how="test")

    call_command("worker", "--until-idle")

    assert smtp_server.messages == []
    assert OutboundEmail.objects.get().status == "cancelled"


def test_someone_who_unsubscribes_while_their_update_is_in_hand_gets_nothing(
    smtp_server, wording, update
):
    ada = person(wording, "ada@people.example")
    start_sending(update)
    fan_out()
    [email] = OutboundEmail.objects.all()
    assert outbox.claim_one(OutboundEmail.objects.all(), email.pk)
    email.refresh_from_db()  # read into the worker's batch
    withdraw(ada, how="test")

    outbox.send(
        email,
        build=build_message,
        connection=get_connection(),
        on_failure=print,
        still_ours=claimed_and_wanted,
    )

    assert smtp_server.messages == []
    assert OutboundEmail.objects.get().status == "cancelled"


def test_each_update_email_costs_one_read_and_one_write_to_send(smtp_server, wording, update):
    for n in range(3):
        person(wording, f"p{n}@people.example")
    start_sending(update)
    fan_out()
    OutboundEmail.objects.update(next_attempt_at=timezone.now())

    with CaptureQueriesContext(connection) as queries:
        assert send_due_emails() == 3

    statements = Counter(
        query["sql"].split()[0]
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))
    )
    # The claim (a read and an update) and the batch's read; then for each email the
    # read that finds it still claimed and wanted, and the update that records it sent.
    assert statements == {"SELECT": 2 + 3, "UPDATE": 1 + 3}
    assert len(smtp_server.messages) == 3


def test_staff_send_themselves_a_test_first(smtp_server, wording, update):
    person(wording, "ada@people.example")
    staff = get_user_model().objects.create_superuser("editor", "editor@org.example", "pw")
    client = Client()
    sign_in_staff(client, staff)

    client.post(
        reverse("admin:mailings_update_changelist"),
        {"action": "send_test_to_me", "_selected_action": [update.pk]},
    )
    call_command("worker", "--until-idle")

    [test] = smtp_server.messages
    assert test["To"] == "editor@org.example"
    assert test["Subject"] == f"[Test] [{update.campaign.reference}] They are free"
    assert test["List-Unsubscribe"] is None
    update.refresh_from_db()
    assert update.status == Update.Status.DRAFT
    assert AuditEntry.objects.get().kind == AuditEntry.Kind.SEND


def staff_with(*codenames: str) -> Client:
    staff = get_user_model().objects.create_user("editor", "editor@org.example", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    sign_in_staff(client, staff)
    return client


def send_to_subscribers(client, update, *, confirmed: str = "yes"):
    """The list's action, and the button of the page that confirms it."""
    response = client.post(
        reverse("admin:mailings_update_changelist"),
        {"action": "send_to_subscribers", "_selected_action": [update.pk], "confirmed": confirmed},
    )
    update.refresh_from_db()
    return response


def test_sending_to_everyone_first_says_exactly_what_will_happen(wording, update, settings):
    settings.UPDATE_EMAILS_PER_MINUTE = 1
    person(wording, "ada@people.example")
    person(wording, "grace@people.example")
    person(wording, "unsure@people.example", confirmed=False)
    staff = staff_with("view_update", "send_update")

    response = send_to_subscribers(staff, update, confirmed="")

    html = " ".join(response.content.decode().split())
    assert "<strong>They are free</strong>" in html
    assert "It goes to <strong>2 people</strong> who asked for updates" in html
    assert "At 1 emails a minute, the last goes about 2 minutes after" in html
    assert 'value="Send to 2 people"' in html
    assert html.count('type="submit" class="default"') == 1  # one button, besides signing out
    assert update.status == Update.Status.DRAFT
    assert not AuditEntry.objects.exists()


def test_an_updates_page_leads_to_the_same_confirmation(wording, update):
    person(wording, "ada@people.example")
    staff = staff_with("view_update", "send_update")
    page = staff.get(reverse("admin:mailings_update_change", args=[update.pk]))
    send = reverse("admin:mailings_update_send", args=[update.pk])

    confirm = staff.get(send)

    assert f'href="{send}"' in page.content.decode()
    assert 'name="confirmed" value="yes"' in confirm.content.decode()
    assert update.status == Update.Status.DRAFT


def test_only_staff_who_may_send_reach_the_confirmation(wording, update):
    send = reverse("admin:mailings_update_send", args=[update.pk])
    editor = staff_with("view_update", "change_update")
    outsider = Client()
    outsider.force_login(get_user_model().objects.create_user("outsider"))

    page = editor.get(reverse("admin:mailings_update_change", args=[update.pk]))

    assert f'href="{send}"' not in page.content.decode()
    assert editor.get(send).status_code == 403
    assert outsider.get(send).status_code == 302


def test_with_nobody_to_send_to_there_is_no_button(wording, update):
    person(wording, "unsure@people.example", confirmed=False)

    response = send_to_subscribers(staff_with("view_update", "send_update"), update, confirmed="")

    html = response.content.decode()
    assert "there is no one to send it to" in html
    assert 'name="confirmed"' not in html


def test_an_update_already_sent_is_not_offered_again(wording, update):
    Update.objects.filter(pk=update.pk).update(status=Update.Status.SENT)

    response = send_to_subscribers(staff_with("view_update", "send_update"), update, confirmed="")

    assert "There is nothing to send" in response.content.decode()


def test_it_takes_the_right_to_send_updates_to_send_one_to_everyone(wording, update):
    person(wording, "ada@people.example")

    send_to_subscribers(staff_with("view_update", "change_update"), update)

    assert update.status == Update.Status.DRAFT
    assert not AuditEntry.objects.exists()


def test_it_logs_who_sent_an_update_to_everyone(wording, update):
    person(wording, "ada@people.example")

    send_to_subscribers(staff_with("view_update", "send_update"), update)

    assert update.status == Update.Status.SENDING
    entry = AuditEntry.objects.get()
    assert (entry.user.username, entry.kind) == ("editor", AuditEntry.Kind.SEND)
    assert entry.subject == f"update {update.pk}"


def test_a_published_update_shows_on_the_campaign_page(client, update):
    page = client.get(update.campaign.get_absolute_url()).content.decode()
    assert "They are free" not in page

    Update.objects.filter(pk=update.pk).update(published=True)
    page = client.get(update.campaign.get_absolute_url()).content.decode()

    assert "<h3>They are free</h3>" in page
    assert "<strong>your letters</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_editing_a_published_update_in_the_admin_renews_the_cached_campaign_page(
    admin_client, update
):
    Update.objects.filter(pk=update.pk).update(published=True)
    visitor = Client()
    before = visitor.get(update.campaign.get_absolute_url())
    assert "They are free" in before.content.decode()

    response = admin_client.post(
        reverse("admin:mailings_update_change", args=[update.pk]),
        {
            "campaign": update.campaign_id,
            "subject_en_gb": "They are free at last",
            "body_en_gb": update.body,
            "published": "on",
        },
    )
    assert response.status_code == 302

    after = visitor.get(update.campaign.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "<h3>They are free at last</h3>" in after.content.decode()


def test_an_unsubscribe_email_unsubscribes(wording, monkeypatch):
    ada = person(wording, "ada@people.example")
    token = unsubscribe_url(ada).rstrip("/").rsplit("/", 1)[1]
    raw = (
        "From: ada@people.example\nTo: unsubscribe@rights.example\n"
        f"Subject: unsubscribe {token}\n\n"
    )
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw.encode())))

    out = io.StringIO()
    call_command("process_unsubscribe", stdout=out)

    assert out.getvalue().strip() == "Unsubscribed."
    assert Consent.objects.get().withdrawn_how == "unsubscribe email"


@pytest.mark.django_db(transaction=True)
def test_a_sending_update_whose_job_was_lost_is_sent_all_the_same(wording, update):
    for n in range(3):
        person(wording, f"p{n}@people.example")
    Update.objects.filter(pk=update.pk).update(status=Update.Status.SENDING)

    call_command("worker", "--until-idle")
    call_command("run_tasks", "--until-idle", verbosity=0)

    assert OutboundEmail.objects.filter(update=update).count() == 3
    update.refresh_from_db()
    assert update.status == Update.Status.SENT


def test_an_update_still_being_fanned_out_is_not_queued_again(wording, update):
    queued = person(wording, "p0@people.example")
    Update.objects.filter(pk=update.pk).update(status=Update.Status.SENDING)
    email = update_email(update, queued)
    email.save()

    assert requeue_forgotten_updates() is False

    OutboundEmail.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - FORGOTTEN_AFTER - timedelta(seconds=1)
    )
    assert requeue_forgotten_updates() is True


def test_an_updates_subject_shows_whole_in_a_box_that_wraps(update):
    staff = staff_with("view_update", "change_update")

    html = staff.get(reverse("admin:mailings_update_change", args=[update.pk])).content.decode()

    assert '<textarea name="subject_en_gb" cols="40" rows="2" class="vTextField' in html
    assert '<textarea name="subject_ko" cols="40" rows="2" class="vTextField' in html
