import base64
import io
import json

import pytest
from django.core.management import call_command

from urgentaction.actions.models import Delivery
from urgentaction.actions.tests.factories import DeliveryFactory
from urgentaction.mailings.models import OutboundEmail

pytestmark = pytest.mark.django_db

DSN = """\
From: Mail Delivery System <MAILER-DAEMON@mx.government.example>
To: {to}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain

Your message could not be delivered.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.government.example

Final-Recipient: rfc822; minister@government.example
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {code} mailbox unavailable

--BOUNDARY--
"""


@pytest.fixture
def sent():
    return DeliveryFactory(status=Delivery.Status.SENT)


def process_bounce(text: str, monkeypatch, *args: str) -> str:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    out = io.StringIO()
    call_command("process_bounce", *args, stdout=out)
    return out.getvalue()


def bounce_to(delivery: Delivery, *, action: str = "failed", status: str = "5.1.1") -> str:
    code = "550" if status.startswith("5") else "451"
    return DSN.format(to=delivery.return_path, action=action, status=status, code=code)


def test_a_bounce_fails_the_letter_and_tells_the_supporter(sent, monkeypatch):
    output = process_bounce(bounce_to(sent), monkeypatch)

    sent.refresh_from_db()
    assert sent.status == Delivery.Status.FAILED
    assert sent.last_error == "Bounced: 5.1.1 smtp; 550 mailbox unavailable"
    assert f"Delivery {sent.pk} marked failed." in output
    assert OutboundEmail.objects.get().kind == "letter_failed"
    sent.target.refresh_from_db()
    assert sent.target.hard_failures == 1


def test_the_envelope_recipient_can_be_passed_by_the_mail_server(sent, monkeypatch):
    text = bounce_to(sent).replace(sent.return_path, "postmaster@rights.example")

    process_bounce(text, monkeypatch, "--recipient", sent.return_path)

    sent.refresh_from_db()
    assert sent.status == Delivery.Status.FAILED


def test_a_delay_notice_changes_nothing(sent, monkeypatch):
    output = process_bounce(bounce_to(sent, action="delayed", status="4.4.7"), monkeypatch)

    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT
    assert "Not a permanent failure" in output


@pytest.mark.parametrize(
    "address",
    ["bounces+00000000000000000000000000000000@rights.example", "someone@rights.example"],
)
def test_a_bounce_for_no_known_letter_changes_nothing(sent, monkeypatch, address):
    text = bounce_to(sent).replace(sent.return_path, address)

    process_bounce(text, monkeypatch)

    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT
    assert not OutboundEmail.objects.exists()


def postmark_bounce(client, delivery: Delivery, *, auth: str | None):
    headers = {}
    if auth:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(auth.encode()).decode()
    payload = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "TypeCode": 1,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Email": delivery.target.email,
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 The email account does not exist.",
        "BouncedAt": "2026-11-27T10:00:00Z",
        "Metadata": {"bounce_token": delivery.bounce_token},
    }
    return client.post(
        "/anymail/postmark/tracking/",
        json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def test_a_providers_bounce_webhook_fails_the_letter(client, sent):
    response = postmark_bounce(client, sent, auth="provider:test-webhook-secret")

    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.FAILED
    assert sent.last_error == "Postmark: bounced The server was unable to deliver your message."


def test_the_webhook_refuses_a_caller_without_the_secret(client, sent):
    response = postmark_bounce(client, sent, auth="provider:guess")

    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT


def test_a_bounce_is_found_behind_a_display_name_and_among_other_addresses(sent, monkeypatch):
    to = f'"Bounces" <{sent.return_path}>, postmaster@rights.example'
    text = DSN.format(to=to, action="failed", status="5.1.1", code="550")

    process_bounce(text, monkeypatch)

    sent.refresh_from_db()
    assert sent.status == Delivery.Status.FAILED


def test_an_internationalised_delivery_report_counts_too(sent, monkeypatch):
    text = bounce_to(sent).replace("message/delivery-status", "message/global-delivery-status")

    process_bounce(text, monkeypatch)

    sent.refresh_from_db()
    assert sent.status == Delivery.Status.FAILED
