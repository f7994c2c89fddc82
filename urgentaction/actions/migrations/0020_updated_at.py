import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every letter gets the time it last changed. Those stored before are marked changed
    now, once: a CRM's next sync reads each of them again, with whatever became of it
    (confirmed, erased) since it was taken."""

    dependencies = [
        ("actions", "0019_letter_in_staff_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="changed"
            ),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                fields=["campaign", "updated_at"], name="action_campaign_changed_idx"
            ),
        ),
    ]
