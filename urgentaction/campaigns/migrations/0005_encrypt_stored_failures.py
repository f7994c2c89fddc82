from django.db import migrations

from urgentaction.lib.encrypted_text import migrate_columns

encrypt, decrypt = migrate_columns("campaigns", "Target", ["last_failure"])


class Migration(migrations.Migration):
    """Targets' last failures stored before the field was encrypted, encrypted in batches
    of their own transaction."""

    atomic = False

    dependencies = [
        ("campaigns", "0004_encrypt_last_failure"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
