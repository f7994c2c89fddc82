import hashlib
import hmac

from django.conf import settings
from django.db import migrations

from urgentaction.lib.encrypted_text import migrate_columns


def email_hash(email: str) -> str:
    """The keyed hash of an address as it was made when this migration was written (a
    copy: a later change to the site's own function must not change what this did)."""
    return hmac.new(
        settings.HASH_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


def hash_addresses(apps, schema_editor):
    OutboundEmail = apps.get_model("mailings", "OutboundEmail")
    for email in OutboundEmail.objects.only("to").iterator():
        OutboundEmail.objects.filter(pk=email.pk).update(to_hash=email_hash(email.to))

encrypt, decrypt = migrate_columns('mailings', 'OutboundEmail', ['to', 'subject', 'text', 'html'])


class Migration(migrations.Migration):
    """The text stored before these fields were encrypted, encrypted: a migration of its
    own, so that no schema change follows the data changes in one transaction (which
    PostgreSQL refuses while deferred constraint checks are pending)."""

    # The values are rewritten in batches, each in a transaction of its own (so that the
    # site can keep running); a rerun after a crash carries on, encrypting nothing twice.
    atomic = False

    dependencies = [
        ("mailings", "0004_encrypt_personal_fields"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
        migrations.RunPython(hash_addresses, migrations.RunPython.noop),
    ]
