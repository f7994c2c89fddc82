from django.db import migrations

from urgentaction.lib.encryption import migrate_columns

encrypt, decrypt = migrate_columns("mailings", "OutboundEmail", ["last_error"])


class Migration(migrations.Migration):
    """The errors stored before, encrypted (apart from the schema change: see 0005)."""

    dependencies = [
        ("mailings", "0006_encrypt_last_error"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
