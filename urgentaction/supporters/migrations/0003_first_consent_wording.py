from django.db import migrations

WORDING = "Yes, email me news about this case and how I can help."
DETAILS = (
    "We send news about urgent actions, no more than twice a month. "
    "Every email has a link to unsubscribe at once."
)


def add_first_wording(apps, schema_editor):
    ConsentText = apps.get_model("supporters", "ConsentText")
    if not ConsentText.objects.exists():
        ConsentText.objects.create(wording=WORDING, details=DETAILS)


class Migration(migrations.Migration):
    dependencies = [("supporters", "0002_consent")]

    operations = [migrations.RunPython(add_first_wording, migrations.RunPython.noop)]
