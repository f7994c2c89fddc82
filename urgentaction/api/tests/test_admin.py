import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from urgentaction.api.keys import create_key
from urgentaction.api.models import ApiKey
from urgentaction.conftest import sign_in_staff

pytestmark = pytest.mark.django_db

ADD = reverse("admin:api_apikey_add")
LIST = reverse("admin:api_apikey_changelist")


def test_staff_make_a_key_and_see_it_only_once(admin_client):
    response = admin_client.post(ADD, {"name": "Partner CRM", "scopes": ["read", "personal"]})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'<code id="api-key">(ua_[\w-]+)</code>', response.content.decode())[1]
    key = ApiKey.objects.get()
    assert (key.scopes, key.created_by.username) == (["personal", "read"], "admin")
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    # Neither the list nor the key's own page shows it again.
    for page in (LIST, reverse("admin:api_apikey_change", args=[key.pk])):
        html = admin_client.get(page).content.decode()
        assert key.prefix in html and secret not in html
    assert client_can_call_with(admin_client, secret)


def client_can_call_with(client, secret: str) -> bool:
    response = client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {secret}"})
    return response.status_code == 200


def test_staff_revoke_keys_and_they_stop_working_at_once(admin_client):
    key, secret = create_key(name="Partner CRM", scopes=["read"])
    _, kept_secret = create_key(name="Partner dashboard", scopes=["read"])
    assert client_can_call_with(admin_client, secret)

    admin_client.post(LIST, {"action": "revoke_keys", "_selected_action": [key.pk]})

    key.refresh_from_db()
    assert key.revoked_at is not None
    assert not client_can_call_with(admin_client, secret)
    assert client_can_call_with(admin_client, kept_secret)


def test_a_key_is_never_changed_or_deleted_only_revoked(admin_client):
    key, secret = create_key(name="Partner CRM", scopes=["read"])
    change = reverse("admin:api_apikey_change", args=[key.pk])

    admin_client.post(change, {"name": "Renamed", "scopes": ["read", "write", "personal"]})
    deleted = admin_client.post(reverse("admin:api_apikey_delete", args=[key.pk]), {"post": "yes"})

    key.refresh_from_db()
    assert (key.name, key.scopes, key.key_hash) == (
        "Partner CRM",
        ["read"],
        hashlib.sha256(secret.encode()).hexdigest(),
    )
    assert deleted.status_code == 403


def test_staff_without_the_permission_cannot_see_or_make_keys(client):
    outsider = get_user_model().objects.create_user("outsider", password="pw", is_staff=True)
    outsider.user_permissions.add(Permission.objects.get(codename="view_campaign"))
    sign_in_staff(client, outsider)

    assert client.get(LIST).status_code == 403
    assert client.post(ADD, {"name": "Mine", "scopes": ["personal"]}).status_code == 403
    assert not ApiKey.objects.exists()
