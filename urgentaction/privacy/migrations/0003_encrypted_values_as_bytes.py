from django.db import migrations

import urgentaction.lib.encryption
from urgentaction.lib.encrypted_text import store_as_bytes

mydatarequest = store_as_bytes("privacy", "MyDataRequest", ["email"])


class Migration(migrations.Migration):
    """Encrypted values stored as bytes instead of base64 text (a quarter less room), and
    sealed from now on in AES-GCM's smaller envelope (lib/encryption.py)."""

    dependencies = [
        ("privacy", "0002_language"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(*mydatarequest),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="mydatarequest",
                    name="email",
                    field=urgentaction.lib.encryption.EncryptedEmailField(
                        max_length=254, verbose_name="email"
                    ),
                ),
            ],
        ),
    ]
