from django.db import migrations

from urgentaction.lib.encrypted_text import migrate_columns

encrypt, decrypt = migrate_columns("actions", "Action", ["source"])


def scrub_derived_data(apps, schema_editor) -> None:
    """Held reasons named the writer's email domain, and sketches of letters were
    unkeyed hashes that could confirm a guessed text: both outlived an erasure. Reasons
    keep their kind; the old sketches go (new letters get keyed ones)."""
    Action = apps.get_model("actions", "Action")
    Action.objects.exclude(fingerprint=[]).update(fingerprint=[])
    held = Action.objects.filter(held_reasons__icontains="blocked email domain:")
    for action in held.only("pk", "held_reasons").iterator():
        reasons = [
            "blocked email domain" if r.startswith("blocked email domain:") else r
            for r in action.held_reasons
        ]
        Action.objects.filter(pk=action.pk).update(held_reasons=reasons)


class Migration(migrations.Migration):
    """Source tags stored before the field was encrypted, encrypted in batches of their
    own transaction (so not atomic as a whole: a rerun after a crash carries on)."""

    atomic = False

    dependencies = [
        ("actions", "0012_encrypt_source"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
        migrations.RunPython(scrub_derived_data, migrations.RunPython.noop),
    ]
