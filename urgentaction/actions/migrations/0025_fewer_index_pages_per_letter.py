import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0024_encrypted_values_as_bytes"),
        ("campaigns", "0018_encrypted_values_as_bytes"),
        ("supporters", "0010_encrypted_values_as_bytes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The indexes go without remaking the table, which SQLite's AlterField would.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="action",
                    name="campaign",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="campaigns.campaign",
                        verbose_name="campaign",
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="consent",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="actions",
                        to="supporters.consent",
                        verbose_name="consent to updates",
                    ),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="reviewed_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reviewed by",
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="digest",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="deliveries",
                        to="actions.digest",
                        verbose_name="digest",
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="target",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deliveries",
                        to="campaigns.target",
                        verbose_name="target",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "actions_action_campaign_id_29deaa31"',
                    reverse_sql='CREATE INDEX "actions_action_campaign_id_29deaa31" '
                    'ON "actions_action" ("campaign_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "actions_action_consent_id_89dc2d0a"',
                    reverse_sql='CREATE INDEX "actions_action_consent_id_89dc2d0a" '
                    'ON "actions_action" ("consent_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "actions_action_reviewed_by_id_3a93d3d9"',
                    reverse_sql='CREATE INDEX "actions_action_reviewed_by_id_3a93d3d9" '
                    'ON "actions_action" ("reviewed_by_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "actions_delivery_digest_id_30c1bd2c"',
                    reverse_sql='CREATE INDEX "actions_delivery_digest_id_30c1bd2c" '
                    'ON "actions_delivery" ("digest_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "actions_delivery_target_id_8e81d3d9"',
                    reverse_sql='CREATE INDEX "actions_delivery_target_id_8e81d3d9" '
                    'ON "actions_delivery" ("target_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("consent__isnull", False)),
                fields=["consent"],
                name="action_consent_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("reviewed_by__isnull", False)),
                fields=["reviewed_by"],
                name="action_reviewed_by_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("digest__isnull", False)),
                fields=["digest"],
                name="delivery_digest_idx",
            ),
        ),
    ]
