import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0025_fewer_index_pages_per_letter"),
        ("mailings", "0011_encrypted_values_as_bytes"),
        ("supporters", "0010_encrypted_values_as_bytes"),
    ]

    operations = [
        # The indexes go without remaking the table, which SQLite's AlterField would.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="outboundemail",
                    name="delivery",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="actions.delivery",
                        verbose_name="delivery",
                    ),
                ),
                migrations.AlterField(
                    model_name="outboundemail",
                    name="supporter",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="emails",
                        to="supporters.supporter",
                    ),
                ),
                migrations.AlterField(
                    model_name="outboundemail",
                    name="update",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="emails",
                        to="mailings.update",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "mailings_outboundemail_delivery_id_c708e0cf"',
                    reverse_sql='CREATE INDEX "mailings_outboundemail_delivery_id_c708e0cf" '
                    'ON "mailings_outboundemail" ("delivery_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "mailings_outboundemail_supporter_id_5ac668b3"',
                    reverse_sql='CREATE INDEX "mailings_outboundemail_supporter_id_5ac668b3" '
                    'ON "mailings_outboundemail" ("supporter_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "mailings_outboundemail_update_id_01e934f9"',
                    reverse_sql='CREATE INDEX "mailings_outboundemail_update_id_01e934f9" '
                    'ON "mailings_outboundemail" ("update_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="outboundemail",
            index=models.Index(
                condition=models.Q(("delivery__isnull", False)),
                fields=["delivery"],
                name="email_delivery_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="outboundemail",
            index=models.Index(
                condition=models.Q(("supporter__isnull", False)),
                fields=["supporter"],
                name="email_supporter_idx",
            ),
        ),
    ]
