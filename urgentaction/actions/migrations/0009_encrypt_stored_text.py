from django.db import migrations

from urgentaction.lib.encrypted_text import migrate_columns

encrypt, decrypt = migrate_columns('actions', 'Action', ['subject', 'body', 'first_name', 'last_name', 'email', 'address_line1', 'address_line2', 'town', 'postcode', 'country', 'referrer'])


class Migration(migrations.Migration):
    """The text stored before these fields were encrypted, encrypted: a migration of its
    own, so that no schema change follows the data changes in one transaction (which
    PostgreSQL refuses while deferred constraint checks are pending)."""

    # The values are rewritten in batches, each in a transaction of its own (so that the
    # site can keep running); a rerun after a crash carries on, encrypting nothing twice.
    atomic = False

    dependencies = [
        ("actions", "0008_encrypt_personal_fields"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
