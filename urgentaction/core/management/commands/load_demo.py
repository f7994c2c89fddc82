import secrets
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

STAFF_USERNAME = "admin"
# On the reserved example domain: the demo's mail server keeps what is sent to it, such
# as the test of an update that staff send to themselves.
STAFF_EMAIL = "admin@example.org"


class Command(BaseCommand):
    help = (
        "Load the demo (each app's own, from the load() of its demo module) and, on the "
        "first run, create a staff account. Running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # Each app loads its own demo content, as each lists its own housekeeping: this
        # command knows none of them, and no app reaches into another's.
        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "demo"):
                load = getattr(import_module(f"{app.name}.demo"), "load", None)
                if load is not None:
                    load(self.stdout)
        self._create_staff_account()

    def _create_staff_account(self) -> None:
        User = get_user_model()
        if User.objects.filter(is_staff=True).exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=STAFF_USERNAME, email=STAFF_EMAIL, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a staff account for /admin/: username {STAFF_USERNAME}, "
                f"password {password} (shown only this once), email {STAFF_EMAIL}."
            )
        )
