from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from urgentaction.conftest import code_for, sign_in_staff
from urgentaction.core.models import StaffSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser(
        "editor", "editor@org.example", "a-good-password"
    )


def idle_too_long():
    """Travel to just past the idle timeout of a session opened now."""
    return time_machine.travel(
        timezone.now() + timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES, seconds=1)
    )


def refused(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_a_session_copied_before_signing_out_no_longer_opens_the_admin(client, staff):
    sign_in_staff(client, staff)
    copied = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(reverse("admin:logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = copied

    assert refused(client.get(reverse("admin:index")))
    assert not StaffSession.objects.exists()


def test_a_session_idle_past_the_timeout_is_refused(client, staff):
    sign_in_staff(client, staff)

    with idle_too_long():
        assert refused(client.get(reverse("admin:index")))


def test_an_active_session_keeps_working(client, staff):
    start = timezone.now()
    sign_in_staff(client, staff)
    step = timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES * 2 / 3)

    for n in range(1, 4):
        with time_machine.travel(start + n * step):
            assert client.get(reverse("admin:index")).status_code == 200


def test_a_failed_sign_in_does_not_bring_an_ended_session_back(client, staff):
    sign_in_staff(client, staff)

    with idle_too_long():
        client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"})

        assert refused(client.get(reverse("admin:index")))


def test_staff_whose_session_ended_sign_in_again(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    sign_in_staff(client, staff)

    with idle_too_long():
        client.post(
            reverse("admin:login"),
            {
                "username": "editor",
                "password": "a-good-password",
                "otp_device": device.persistent_id,
                "otp_token": code_for(device),
            },
        )

        assert client.get(reverse("admin:index")).status_code == 200
        assert StaffSession.objects.count() == 1
