import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from urgentaction.api.models import WebhookDelivery, WebhookEndpoint
from urgentaction.api.webhooks.registry import register_endpoint
from urgentaction.conftest import sign_in_staff
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.staff.tests.conftest import CAMPAIGNER_PERMISSIONS, user_with
from urgentaction.supporters.consent import withdraw
from urgentaction.supporters.tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:api_webhookendpoint_add")
LIST = reverse("admin:api_webhookendpoint_changelist")
HOME = reverse("admin:index")
PUBLIC_URL = "https://93.184.215.14/hooks"


def disabled_endpoint(url: str = PUBLIC_URL) -> WebhookEndpoint:
    endpoint, _ = register_endpoint(url=url, events=["person.unsubscribed"], personal=False)
    withdraw(ConsentFactory().supporter, how="unsubscribe link")
    endpoint.deliveries.update(status=OutboxStatus.HELD)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        disabled_at=timezone.now(), failing_since=timezone.now(), last_failure="HTTP 500"
    )
    return endpoint


def test_staff_make_an_endpoint_and_see_its_secret_only_once(admin_client):
    response = admin_client.post(
        ADD, {"url": PUBLIC_URL, "events": ["person.erased", "action.created"], "personal": "on"}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'<code id="webhook-secret">(whsec_[\w+/=]+)</code>', response.text)[1]
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.events, endpoint.personal) == (
        PUBLIC_URL,
        ["action.created", "person.erased"],
        True,
    )
    assert (endpoint.secret, endpoint.created_by.username, endpoint.api_key) == (
        secret,
        "admin",
        None,
    )
    for page in (LIST, reverse("admin:api_webhookendpoint_change", args=[endpoint.pk])):
        html = admin_client.get(page).text
        assert PUBLIC_URL in html and secret not in html


def test_staff_cannot_make_an_endpoint_on_a_private_address(admin_client):
    response = admin_client.post(
        ADD, {"url": "https://10.0.0.8/hooks", "events": ["person.erased"]}
    )

    assert response.status_code == 200
    assert "webhooks go only to public addresses" in response.text
    assert not WebhookEndpoint.objects.exists()


def test_staff_enable_a_disabled_endpoint_and_what_it_held_goes(admin_client, receiver):
    endpoint = disabled_endpoint(receiver.url())

    admin_client.post(LIST, {"action": "enable_endpoints", "_selected_action": [endpoint.pk]})
    call_command("send_webhooks", "--until-idle")

    endpoint.refresh_from_db()
    assert (endpoint.disabled_at, endpoint.failing_since, endpoint.last_failure) == (None, None, "")
    [request] = receiver.requests
    assert Webhook(endpoint.secret).verify(request.body, request.headers)["type"] == (
        "person.unsubscribed"
    )


def test_the_staff_home_shows_disabled_endpoints_to_staff_who_manage_them(admin_client):
    register_endpoint(url=PUBLIC_URL, events=["person.erased"], personal=False)
    assert "webhook endpoint disabled" not in admin_client.get(HOME).text
    disabled = disabled_endpoint()

    html = admin_client.get(HOME).text

    assert "1 webhook endpoint disabled after failing for a day" in html
    assert f"{LIST}?state=disabled" in html
    listed = admin_client.get(f"{LIST}?state=disabled")
    assert list(listed.context["cl"].result_list) == [disabled]


def test_campaigners_without_the_permission_see_no_webhooks():
    disabled_endpoint()
    client = Client()
    sign_in_staff(client, user_with("campaigner", CAMPAIGNER_PERMISSIONS, is_staff=True))

    assert "webhook endpoint" not in client.get(HOME).text
    assert client.get(LIST).status_code == 403


def test_the_delivery_log_shows_how_each_went_and_never_the_payload(admin_client):
    disabled_endpoint()
    row = WebhookDelivery.objects.get()
    page = reverse("admin:api_webhookdelivery_change", args=[row.pk])

    html = admin_client.get(page).text

    assert row.message_id in html and "person.unsubscribed" in html
    assert "urgentaction:person:" not in html
    assert admin_client.post(page, {}).status_code == 403
