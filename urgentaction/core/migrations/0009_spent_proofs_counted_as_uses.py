import hashlib

from django.db import migrations
from django.utils import timezone


def count_spent_proofs(apps, schema_editor) -> None:
    """Each proof spent and not yet expired, as the count of its one use (the key
    pow.use_of gives it), so that none can be sent again once this is deployed."""
    spent = apps.get_model("core", "SpentProof").objects.filter(expires_at__gte=timezone.now())
    counter = apps.get_model("core", "RateCounter")
    counter.objects.bulk_create(
        (
            counter(
                key="proof:" + hashlib.sha256(proof.signature.encode()).hexdigest(),
                window=0,
                count=1,
                expires_at=proof.expires_at,
            )
            for proof in spent.iterator()
        ),
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_kept_version"),
    ]

    operations = [
        migrations.RunPython(count_spent_proofs, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(
            name="SpentProof",
        ),
    ]
