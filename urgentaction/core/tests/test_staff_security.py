import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from urgentaction.conftest import code_for, sign_in_staff

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "admin:index",
    "admin:supporters_supporter_changelist",
    "admin:actions_action_changelist",
]


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser(
        "editor", "editor@org.example", "a-good-password"
    )


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_a_password_alone_does_not_open_staff_pages(client, staff, page):
    client.force_login(staff)

    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_sign_in_with_password_and_authenticator_code(client, staff):
    out = io.StringIO()
    call_command("add_authenticator", "editor", stdout=out)
    device = TOTPDevice.objects.get(user=staff)
    assert "otpauth://totp/" in out.getvalue()

    response = client.post(
        reverse("admin:login"),
        {
            "username": "editor",
            "password": "a-good-password",
            "otp_device": device.persistent_id,
            "otp_token": code_for(device),
            "next": reverse("admin:index"),
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)

    client.post(
        reverse("admin:login"),
        {
            "username": "editor",
            "password": "a-good-password",
            "otp_device": device.persistent_id,
            "otp_token": "000000" if code_for(device) != "000000" else "111111",
        },
    )

    assert client.get(reverse("admin:index")).status_code == 302


def fail_to_sign_in(client, username: str, **request) -> None:
    client.post(reverse("admin:login"), {"username": username, "password": "wrong"}, **request)


def lock_out(client, staff, **request) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    for _ in range(5):
        fail_to_sign_in(client, "editor", **request)
    return device


def sign_in(client, device, **request):
    return client.post(
        reverse("admin:login"),
        {
            "username": "editor",
            "password": "a-good-password",
            "otp_device": device.persistent_id,
            "otp_token": code_for(device),
        },
        **request,
    )


def test_a_burst_of_cached_pages_does_not_lift_a_lockout(client, staff, settings):
    default = dict(settings.CACHES["default"])
    if default["BACKEND"].endswith("DatabaseCache"):
        # A small page cache, so that the burst below makes it drop entries (Redis keeps
        # every key until memory runs out).
        default["OPTIONS"] = {"MAX_ENTRIES": 50}
    settings.CACHES = {**settings.CACHES, "default": default}
    device = lock_out(client, staff)

    for n in range(200):
        caches["default"].set(f"page:{n}", "<html>")

    assert sign_in(client, device).status_code == 429


def test_repeated_failed_sign_ins_lock_the_account_out(client, staff):
    device = lock_out(client, staff)

    response = sign_in(client, device)

    assert response.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


def test_it_hides_authenticator_keys_from_staff_who_may_see_the_devices(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    viewer = get_user_model().objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_totpdevice"))
    sign_in_staff(client, viewer)

    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    config = client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk]))

    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert config.status_code == 403


def test_failed_sign_ins_on_other_accounts_do_not_lock_an_account_out(client, staff):
    # As behind a proxy whose header is not trusted: every visitor has its address.
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    for n in range(5):
        fail_to_sign_in(client, f"guess{n}")

    assert sign_in(client, device).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_lockout_holds_across_one_ipv6_64_and_not_beyond(client, staff):
    device = lock_out(client, staff, REMOTE_ADDR="2001:db8:1:2::1")

    assert sign_in(client, device, REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
    assert sign_in(client, device, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302
