from django.db import migrations

import urgentaction.lib.encryption
from urgentaction.lib.encrypted_text import store_as_bytes

action = store_as_bytes(
    "actions",
    "Action",
    [
        "address_line1",
        "address_line2",
        "body",
        "country",
        "email",
        "first_name",
        "last_name",
        "postcode",
        "referrer",
        "source",
        "subject",
        "town",
    ],
)
delivery = store_as_bytes("actions", "Delivery", ["last_error"])
digest = store_as_bytes("actions", "Digest", ["last_error"])


class Migration(migrations.Migration):
    """Encrypted values stored as bytes instead of base64 text (a quarter less room), and
    sealed from now on in AES-GCM's smaller envelope (lib/encryption.py)."""

    dependencies = [
        ("actions", "0023_blocklist_changed_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(*action),
                migrations.RunPython(*delivery),
                migrations.RunPython(*digest),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="action",
                    name="address_line1",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        max_length=200, verbose_name="address line 1"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="address_line2",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        blank=True, max_length=200, verbose_name="address line 2"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="body",
                    field=urgentaction.lib.encryption.EncryptedTextField(verbose_name="letter"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="country",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        max_length=100, verbose_name="country"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="email",
                    field=urgentaction.lib.encryption.EncryptedEmailField(
                        max_length=254, verbose_name="email address"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="first_name",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        max_length=100, verbose_name="first name"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="last_name",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        max_length=100, verbose_name="last name"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="postcode",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        blank=True, max_length=20, verbose_name="postcode"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="referrer",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        blank=True, max_length=500, verbose_name="referrer"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="source",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        blank=True, max_length=100, verbose_name="source"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="subject",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        max_length=200, verbose_name="subject"
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="town",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        max_length=100, verbose_name="town or city"
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="last_error",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        blank=True, verbose_name="last error"
                    ),
                ),
                migrations.AlterField(
                    model_name="digest",
                    name="last_error",
                    field=urgentaction.lib.encryption.EncryptedTextField(
                        blank=True, verbose_name="last error"
                    ),
                ),
            ],
        ),
    ]
