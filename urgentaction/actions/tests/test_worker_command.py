"""The worker command itself: its housekeeping never stops letters, and it refuses to run
with mail that never leaves the machine."""

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from urgentaction.actions.models import Delivery
from urgentaction.actions.tests.factories import DeliveryFactory
from urgentaction.core import housekeeping

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_housekeeping():
    def broken():
        raise OperationalError("database is locked")

    housekeeping.register(broken, name="broken")
    yield
    housekeeping.unregister("broken")


def test_a_housekeeping_job_that_raises_does_not_stop_letters_going(
    smtp_server, broken_housekeeping, caplog
):
    delivery = DeliveryFactory()

    call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(smtp_server.messages) == 1
    assert "Housekeeping job broken failed" in caplog.text


@pytest.mark.parametrize("backend", ["console", "filebased"])
def test_it_refuses_to_start_with_mail_that_never_leaves_in_production(settings, backend):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"
    delivery = DeliveryFactory()

    with pytest.raises(CommandError, match="Set EMAIL_URL"):
        call_command("worker", "--until-idle")

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING


def test_it_prints_letters_when_debugging(settings, capsys):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    DeliveryFactory(action__body="Dear Minister, please act.")

    call_command("worker", "--until-idle")

    assert "Dear Minister, please act." in capsys.readouterr().out
