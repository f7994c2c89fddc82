from django.db import migrations

from urgentaction.lib.encrypted_text import migrate_columns

encrypt_deliveries, decrypt_deliveries = migrate_columns("actions", "Delivery", ["last_error"])
encrypt_digests, decrypt_digests = migrate_columns("actions", "Digest", ["last_error"])


class Migration(migrations.Migration):
    """The errors stored before, encrypted (apart from the schema change: see 0009)."""

    # The values are rewritten in batches, each in a transaction of its own (so that the
    # site can keep running); a rerun after a crash carries on, encrypting nothing twice.
    atomic = False

    dependencies = [
        ("actions", "0010_encrypt_last_error"),
    ]

    operations = [
        migrations.RunPython(encrypt_deliveries, decrypt_deliveries),
        migrations.RunPython(encrypt_digests, decrypt_digests),
    ]
