import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from urgentaction.conftest import sign_in_staff

# What a campaigner is given: to see and run campaigns and their letters, not the system.
CAMPAIGNER_PERMISSIONS = [
    "campaigns.view_campaign",
    "campaigns.change_campaign",
    "campaigns.view_target",
    "actions.view_action",
    "actions.view_delivery",
    "mailings.view_update",
]


def user_with(username: str, permissions: list[str], **flags) -> object:
    user = get_user_model().objects.create_user(username, f"{username}@org.example", **flags)
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def superuser_client(db) -> Client:
    client = Client()
    user = get_user_model().objects.create_superuser("chief", "chief@org.example", "pw-for-tests")
    sign_in_staff(client, user)
    return client


@pytest.fixture
def campaigner_client(db) -> Client:
    client = Client()
    sign_in_staff(client, user_with("campaigner", CAMPAIGNER_PERMISSIONS, is_staff=True))
    return client


@pytest.fixture
def bare_staff_client(db) -> Client:
    """Staff who may sign in to the admin but were given no permission."""
    client = Client()
    sign_in_staff(client, user_with("newcomer", [], is_staff=True))
    return client


@pytest.fixture
def outsider_client(db) -> Client:
    """Signed in, with every permission a campaigner has, but not staff."""
    client = Client()
    client.force_login(user_with("outsider", CAMPAIGNER_PERMISSIONS))
    return client
