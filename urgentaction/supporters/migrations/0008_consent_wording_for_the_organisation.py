from django.db import migrations, models

# The first wording spoke of "this case", which the general sign-up page at /updates/
# has none of. A site still on it gets a new version (consent records keep the old one).
FIRST_WORDING = "Yes, email me news about this case and how I can help."
WORDING = "Yes, email me news of our urgent actions and how I can help."
DETAILS = (
    "We send news about urgent actions and what came of them, no more than twice a month. "
    "Every email has a link to unsubscribe at once."
)


def word_it_for_the_organisation(apps, schema_editor):
    ConsentText = apps.get_model("supporters", "ConsentText")
    current = ConsentText.objects.order_by("-pk").first()
    if current is not None and current.wording == FIRST_WORDING:
        ConsentText.objects.create(wording=WORDING, details=DETAILS)


class Migration(migrations.Migration):
    dependencies = [("supporters", "0007_export_permission")]

    operations = [
        migrations.AlterField(
            model_name="consenttext",
            name="wording",
            field=models.TextField(
                help_text=(
                    "Next to the box on every campaign and on the sign-up page, so about the "
                    "organisation's work, not one case: e.g. 'Yes, email me news of our urgent "
                    "actions and how I can help.'"
                ),
                verbose_name="wording",
            ),
        ),
        migrations.RunPython(word_it_for_the_organisation, migrations.RunPython.noop),
    ]
