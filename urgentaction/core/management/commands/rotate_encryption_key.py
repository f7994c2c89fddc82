from django.core.management.base import BaseCommand
from django.db import connection

from urgentaction.lib.encryption import encrypted_fields, recode, rotated


class Command(BaseCommand):
    help = (
        "Encrypt every personal field again with the first key in ENCRYPTION_KEYS, in the "
        "newest envelope (values sealed before December 2026 take less room after it). Put "
        "the new key first, keep the old ones after it, restart, run this, then drop the old "
        "keys."
    )

    def handle(self, **options) -> None:
        for model, fields in encrypted_fields().items():
            count = recode(connection, model, fields, rotated)
            self.stdout.write(f"{model._meta.label}: {count} rows encrypted with the first key.")
