from django.db import migrations

from urgentaction.lib.encryption import migrate_columns
from urgentaction.lib.hashing import email_hash

def hash_addresses(apps, schema_editor):
    OutboundEmail = apps.get_model("mailings", "OutboundEmail")
    for email in OutboundEmail.objects.only("to").iterator():
        OutboundEmail.objects.filter(pk=email.pk).update(to_hash=email_hash(email.to))

encrypt, decrypt = migrate_columns('mailings', 'OutboundEmail', ['to', 'subject', 'text', 'html'])


class Migration(migrations.Migration):
    """The text stored before these fields were encrypted, encrypted: a migration of its
    own, so that no schema change follows the data changes in one transaction (which
    PostgreSQL refuses while deferred constraint checks are pending)."""

    dependencies = [
        ("mailings", "0004_encrypt_personal_fields"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
        migrations.RunPython(hash_addresses, migrations.RunPython.noop),
    ]
