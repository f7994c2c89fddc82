from django.db import migrations

from urgentaction.lib.encrypted_text import migrate_columns

encrypt, decrypt = migrate_columns("mailings", "OutboundEmail", ["last_error"])


class Migration(migrations.Migration):
    """The errors stored before, encrypted (apart from the schema change: see 0005)."""

    # The values are rewritten in batches, each in a transaction of its own (so that the
    # site can keep running); a rerun after a crash carries on, encrypting nothing twice.
    atomic = False

    dependencies = [
        ("mailings", "0006_encrypt_last_error"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
