import base64

import pytest
from django.db import connection

from urgentaction.api.models import WebhookEndpoint
from urgentaction.api.tests.conftest import is_problem
from urgentaction.api.webhooks.registry import MOST_PER_KEY

pytestmark = pytest.mark.django_db

# A public address given as such: registering it needs no DNS.
PUBLIC_URL = "https://93.184.215.14/hooks/urgent-action"
EVENTS = ["action.created", "person.erased"]


def register(partner, url=PUBLIC_URL, events=EVENTS):
    return partner.post("/api/v1/webhooks", {"url": url, "events": events})


def test_it_registers_a_webhook_and_shows_its_secret_once(partner_with):
    partner = partner_with("write")

    response = register(partner)

    assert response.status_code == 201
    body = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert body["id"] == endpoint.pk
    assert (body["url"], body["events"]) == (PUBLIC_URL, sorted(EVENTS))
    assert body["personal"] is False
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) == 32
    assert endpoint.api_key == partner.key
    listed = partner.get("/api/v1/webhooks").json()
    assert [item["id"] for item in listed] == [endpoint.pk]
    assert "secret" not in listed[0]


def test_the_secret_is_stored_encrypted(partner_with):
    secret = register(partner_with("write")).json()["secret"]

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM api_webhookendpoint")
        [(stored,)] = cursor.fetchall()
    assert secret.encode() not in bytes(stored)
    assert WebhookEndpoint.objects.get().secret == secret


def test_payloads_are_personal_only_for_a_key_with_the_personal_scope(partner_with):
    register(partner_with("write", "personal"))
    register(partner_with("write"))

    assert sorted(WebhookEndpoint.objects.values_list("personal", flat=True)) == [False, True]


def test_it_needs_the_write_scope(partner_with, client):
    reader = partner_with("read", "personal")

    assert is_problem(register(reader), 403)
    assert is_problem(reader.get("/api/v1/webhooks"), 403)
    assert is_problem(client.get("/api/v1/webhooks"), 401)
    assert not WebhookEndpoint.objects.exists()


def test_a_key_sees_and_deletes_only_its_own_webhooks(partner_with):
    owner, outsider = partner_with("write"), partner_with("write")
    mine = register(owner).json()["id"]

    assert outsider.get("/api/v1/webhooks").json() == []
    assert is_problem(outsider.delete(f"/api/v1/webhooks/{mine}"), 404)
    assert WebhookEndpoint.objects.filter(pk=mine).exists()

    assert owner.delete(f"/api/v1/webhooks/{mine}").status_code == 204
    assert not WebhookEndpoint.objects.exists()
    assert is_problem(owner.delete(f"/api/v1/webhooks/{mine}"), 404)


def test_it_refuses_unknown_events_and_no_events(partner_with):
    partner = partner_with("write")

    for events in (["letter.opened"], []):
        response = register(partner, events=events)
        assert is_problem(response, 422)
        assert response.json()["errors"][0]["field"].startswith("events")
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.215.14/hooks",
        "ftp://93.184.215.14/hooks",
        "https://user:password@93.184.215.14/hooks",
        "not a url",
        "https:///hooks",
    ],
)
def test_it_refuses_urls_that_are_not_plain_https(partner_with, url):
    response = register(partner_with("write"), url=url)

    assert is_problem(response, 422)
    assert response.json()["errors"][0]["field"] == "url"
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://localhost:8443/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://172.16.5.4/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hooks",
        "https://0.0.0.0/hooks",
        "https://[::1]/hooks",
        "https://[fe80::1]/hooks",
        "https://[fd00::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://[64:ff9b::a00:1]/hooks",
        "https://[2002:a00:1::1]/hooks",
        "https://224.0.0.1/hooks",
    ],
)
def test_it_refuses_urls_on_private_loopback_or_link_local_addresses(partner_with, url):
    response = register(partner_with("write"), url=url)

    assert is_problem(response, 422)
    [error] = response.json()["errors"]
    assert error["field"] == "url"
    assert "public addresses" in error["message"]
    assert not WebhookEndpoint.objects.exists()


def test_private_and_http_urls_are_taken_when_the_settings_allow_them(partner_with, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE = True

    response = register(partner_with("write"), url="http://127.0.0.1:9000/hooks")

    assert response.status_code == 201


def test_a_host_name_that_cannot_be_found_is_refused(partner_with):
    response = register(partner_with("write"), url="https://no-such-host.invalid/hooks")

    assert is_problem(response, 422)
    assert "could not be found" in response.json()["errors"][0]["message"]


def test_a_key_may_register_only_so_many_webhooks(partner_with):
    partner = partner_with("write")
    for _ in range(MOST_PER_KEY):
        assert register(partner).status_code == 201

    assert is_problem(register(partner), 422)
    assert WebhookEndpoint.objects.count() == MOST_PER_KEY
