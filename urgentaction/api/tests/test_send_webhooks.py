"""send_webhooks against a real HTTP receiver on this machine, which checks each
signature with the Standard Webhooks library."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from urgentaction.actions.models import Delivery
from urgentaction.actions.tests.factories import DeliveryFactory
from urgentaction.api.keys import revoke
from urgentaction.api.models import ApiKey, WebhookDelivery
from urgentaction.api.tests.receiver import Receiver, self_signed_certificate
from urgentaction.api.webhooks.delivery import RETRY_WINDOW, Sender, disable_failing_endpoints
from urgentaction.api.webhooks.registry import register_endpoint
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.consent import withdraw
from urgentaction.supporters.models import Supporter
from urgentaction.supporters.tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db

UNSUBSCRIBED = "person.unsubscribed"


def unsubscribe_someone() -> Supporter:
    supporter = ConsentFactory().supporter
    withdraw(supporter, how="unsubscribe link")
    return supporter


def send_webhooks() -> None:
    call_command("send_webhooks", "--until-idle")


def the_row() -> WebhookDelivery:
    return WebhookDelivery.objects.get()


def test_it_sends_the_event_signed_and_the_receiver_verifies_it(receiver, endpoint_for):
    _, secret = endpoint_for(UNSUBSCRIBED, personal=True)
    supporter = unsubscribe_someone()

    send_webhooks()

    [request] = receiver.requests
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == UNSUBSCRIBED
    assert payload["data"]["person"]["email_addresses"][0]["address"] == supporter.email
    assert payload["data"]["how"] == "unsubscribe link"
    assert request.headers["Content-Type"] == "application/json"
    assert request.path == "/hooks"
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43).verify(request.body, request.headers)
    row = the_row()
    assert request.headers["webhook-id"] == row.message_id
    assert (row.status, row.attempts, row.payload) == (OutboxStatus.SENT, 1, "")


def test_after_a_500_it_tries_again_later_with_the_same_id(receiver, endpoint_for):
    endpoint, secret = endpoint_for(UNSUBSCRIBED)
    receiver.statuses = [500, 503]
    unsubscribe_someone()
    start = timezone.now()

    send_webhooks()
    send_webhooks()  # nothing is due again yet

    row = the_row()
    assert len(receiver.requests) == 1
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.PENDING, 1, "HTTP 500")
    assert row.next_attempt_at > start
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None
    for minutes in (2, 10):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            send_webhooks()
            Webhook(secret).verify(receiver.requests[-1].body, receiver.requests[-1].headers)

    assert len(receiver.requests) == 3
    assert len({request.headers["webhook-id"] for request in receiver.requests}) == 1
    assert len({request.headers["webhook-timestamp"] for request in receiver.requests}) == 3
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 3)
    endpoint.refresh_from_db()
    assert (endpoint.failing_since, endpoint.last_failure) == (None, "")


def test_it_gives_up_on_a_message_after_three_days(receiver, endpoint_for):
    endpoint_for(UNSUBSCRIBED)
    receiver.statuses = [500, 500]
    unsubscribe_someone()
    send_webhooks()
    WebhookDelivery.objects.update(
        first_attempt_at=timezone.now() - RETRY_WINDOW, next_attempt_at=timezone.now()
    )

    send_webhooks()

    row = the_row()
    assert (row.status, row.attempts, row.payload) == (OutboxStatus.FAILED, 2, "")


@pytest.mark.parametrize("status", [400, 404, 410, 301])
def test_a_4xx_or_a_redirect_fails_the_message_at_once(receiver, endpoint_for, status):
    endpoint_for(UNSUBSCRIBED)
    receiver.statuses = [status]
    receiver.redirect_to = "http://127.0.0.1:1/elsewhere"
    unsubscribe_someone()

    send_webhooks()

    row = the_row()
    assert (row.status, row.last_error, row.payload) == (OutboxStatus.FAILED, f"HTTP {status}", "")
    assert len(receiver.requests) == 1


def test_a_request_that_takes_too_long_is_tried_again_later(receiver, endpoint_for):
    endpoint_for(UNSUBSCRIBED)
    receiver.holding = True
    unsubscribe_someone()
    sender = Sender(timeout=0.2)

    sender.start_due()
    sender.finish()

    row = the_row()
    assert (row.status, row.last_error) == (OutboxStatus.PENDING, "timed out")
    assert len(receiver.requests) == 1


def test_an_answer_that_trickles_in_is_cut_off(receiver, endpoint_for):
    """Each header comes within the time for a step, but the whole answer would never
    end: the request's own time limit ends it."""
    endpoint_for(UNSUBSCRIBED)
    receiver.dripping = True
    unsubscribe_someone()
    sender = Sender(timeout=0.2)

    sender.start_due()
    sender.finish()

    row = the_row()
    assert (row.status, row.last_error) == (OutboxStatus.PENDING, "timed out")


def test_a_slow_endpoint_holds_up_only_its_own_messages(receiver, endpoint_for):
    slow = Receiver(holding=True).start()
    try:
        endpoint_for(UNSUBSCRIBED, url=slow.url())
        endpoint_for(UNSUBSCRIBED)
        for _ in range(3):
            unsubscribe_someone()
        sender = Sender()

        for _ in range(100):
            sender.start_due()
            sender.settle_done(timeout=1.0)
            if len(receiver.requests) == 3:
                break

        assert len(receiver.requests) == 3
        assert len(slow.requests) == 1
    finally:
        slow.release.set()
        sender.finish()
        slow.stop()


def test_the_worker_sends_letters_and_leaves_webhooks_alone(receiver, endpoint_for, smtp_server):
    endpoint_for(UNSUBSCRIBED)
    unsubscribe_someone()
    delivery = DeliveryFactory()

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert receiver.requests == []
    assert (the_row().status, the_row().attempts) == (OutboxStatus.PENDING, 0)


def test_an_address_that_turned_private_since_registration_is_not_called(
    receiver, endpoint_for, settings
):
    """As when a name resolved to a public address at registration and to this machine
    now (DNS rebinding): the address is checked again before each try."""
    endpoint_for(UNSUBSCRIBED)
    unsubscribe_someone()
    settings.WEBHOOK_ALLOW_PRIVATE = False

    send_webhooks()

    assert receiver.requests == []
    row = the_row()
    assert row.status == OutboxStatus.PENDING
    assert "127.0.0.1" in row.last_error and "public addresses" in row.last_error


def test_an_endpoint_failing_for_a_day_is_disabled_and_staff_are_told(
    receiver, endpoint_for, admin_user, django_user_model
):
    django_user_model.objects.create_user(
        "volunteer", email="volunteer@rights.example", is_staff=True
    )
    endpoint, _ = endpoint_for(UNSUBSCRIBED)
    receiver.statuses = [500] * 10
    unsubscribe_someone()
    start = timezone.now()
    send_webhooks()

    with time_machine.travel(start + timedelta(hours=25)):
        unsubscribe_someone()
        send_webhooks()

    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None
    assert endpoint.last_failure == "HTTP 500"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {OutboxStatus.HELD}
    [email] = OutboundEmail.objects.filter(kind="webhook_disabled")
    assert email.to == admin_user.email
    assert email.subject == f"Webhook disabled: {endpoint.url}"
    for body in (email.text, email.html):
        assert "HTTP 500" in body
        assert f"/admin/api/webhookendpoint/{endpoint.pk}/change/" in body
    # Nothing more is sent to it, nor recorded for it.
    tried = len(receiver.requests)
    unsubscribe_someone()
    send_webhooks()
    assert len(receiver.requests) == tried
    assert WebhookDelivery.objects.count() == 2


def test_an_endpoint_whose_next_try_is_hours_away_is_disabled_after_a_day_all_the_same(
    receiver, endpoint_for, admin_user
):
    endpoint, _ = endpoint_for(UNSUBSCRIBED)
    receiver.statuses = [500]
    unsubscribe_someone()
    start = timezone.now()
    send_webhooks()
    WebhookDelivery.objects.update(next_attempt_at=start + timedelta(hours=30))

    with time_machine.travel(start + timedelta(hours=23)):
        assert disable_failing_endpoints() == 0
    with time_machine.travel(start + timedelta(hours=24, minutes=1)):
        assert disable_failing_endpoints() == 1
        assert disable_failing_endpoints() == 0

    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None
    assert the_row().status == OutboxStatus.HELD
    [email] = OutboundEmail.objects.filter(kind="webhook_disabled")
    assert email.to == admin_user.email
    assert len(receiver.requests) == 1


def test_a_revoked_keys_webhooks_are_sent_nothing_more(receiver, endpoint_for, partner_with):
    key = partner_with("write").key
    endpoint_for(UNSUBSCRIBED, key=key)
    unsubscribe_someone()

    revoke(keys=ApiKey.objects.filter(pk=key.pk))
    unsubscribe_someone()
    send_webhooks()

    assert receiver.requests == []
    row = the_row()
    assert (row.status, row.payload) == (OutboxStatus.CANCELLED, "")


def test_an_erasure_through_the_api_reaches_the_partners_crm(receiver, endpoint_for, partner_with):
    """So that the CRM erases the person too: it is told their address."""
    partner = partner_with("read", "write", "personal")
    _, secret = endpoint_for("person.erased", personal=True, key=partner.key)
    supporter = ConsentFactory().supporter

    assert partner.delete(f"/api/v1/people?email={supporter.email}").status_code == 204
    send_webhooks()

    [request] = receiver.requests
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "person.erased"
    assert payload["data"] == {
        "person": {
            "identifiers": [f"urgentaction:person:{supporter.pk}"],
            "email_addresses": [{"address": supporter.email, "primary": True}],
        },
        "reason": "erased",
    }
    assert Supporter.objects.get(pk=supporter.pk).email == ""
    assert the_row().payload == ""


@pytest.fixture
def tls_receiver(settings, tmp_path, monkeypatch):
    """A receiver on HTTPS at localhost, whose certificate this process trusts (as it
    trusts the public authorities' in production)."""
    settings.WEBHOOK_ALLOW_PRIVATE = True

    def start(certified_host: str) -> Receiver:
        certificate = self_signed_certificate(tmp_path, host=certified_host)
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
        started.append(Receiver(certificate=certificate).start())
        return started[-1]

    started: list[Receiver] = []
    yield start
    for receiver in started:
        receiver.stop()


def test_it_sends_over_https_checking_the_certificate_of_the_host(tls_receiver):
    receiver = tls_receiver("localhost")
    _, secret = register_endpoint(
        url=receiver.url(host="localhost"), events=[UNSUBSCRIBED], personal=False
    )
    unsubscribe_someone()

    send_webhooks()

    [request] = receiver.requests
    assert Webhook(secret).verify(request.body, request.headers)["type"] == UNSUBSCRIBED
    assert request.headers["Host"] == f"localhost:{receiver.server.server_address[1]}"
    assert the_row().status == OutboxStatus.SENT


def test_a_certificate_for_another_host_is_refused(tls_receiver):
    receiver = tls_receiver("other.example")
    register_endpoint(url=receiver.url(host="localhost"), events=[UNSUBSCRIBED], personal=False)
    unsubscribe_someone()

    send_webhooks()

    assert receiver.requests == []
    row = the_row()
    assert (row.status, row.last_error) == (OutboxStatus.PENDING, "SSLCertVerificationError")
