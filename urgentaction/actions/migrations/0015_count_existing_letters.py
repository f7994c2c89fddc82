"""The dashboards' counts of the letters stored before there were counts. Each letter's
source is encrypted, so the letters are read in batches and added up here, once."""

from collections import Counter
from datetime import UTC

from django.db import migrations
from django.db.models import Count, Max, OuterRef, Q, Subquery


def hour_of(moment):
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def count_existing(apps, schema_editor):
    Action = apps.get_model("actions", "Action")
    Delivery = apps.get_model("actions", "Delivery")
    LetterCount = apps.get_model("actions", "LetterCount")
    TargetCount = apps.get_model("actions", "TargetCount")
    first_sent = Delivery.objects.filter(action=OuterRef("pk"), sent_at__isnull=False)
    Action.objects.update(
        delivered_at=Subquery(first_sent.order_by("sent_at").values("sent_at")[:1])
    )
    counts = Counter()
    letters = Action.objects.order_by("pk").values_list(
        "campaign_id",
        "channel",
        "source",
        "created_at",
        "counted_at",
        "delivered_at",
        "review",
        "reviewed_at",
        "wants_updates",
    )
    for row in letters.iterator(chunk_size=2000):
        campaign, channel, source, created, counted, delivered, review, reviewed, wants = row
        events = [("written", created)]
        if counted:
            events.append(("confirmed", counted))
        if delivered:
            events.append(("delivered", delivered))
        if review:
            events.append(("held", created))
        if review in ("approved", "rejected"):
            events.append((review, reviewed or created))
        if wants:
            events.append(("signed_up", created))
        for stage, moment in events:
            counts[(campaign, hour_of(moment), stage, channel, source)] += 1
    LetterCount.objects.bulk_create(
        (
            LetterCount(
                campaign_id=campaign,
                hour=hour,
                stage=stage,
                channel=channel,
                source=source,
                count=count,
            )
            for (campaign, hour, stage, channel, source), count in counts.items()
        ),
        batch_size=1000,
    )
    sent = Q(sent_at__isnull=False)
    failed = Q(status="failed")
    per_target = (
        Delivery.objects.order_by()
        .values("action__campaign_id", "target_id")
        .annotate(
            sent=Count("pk", filter=sent),
            failed=Count("pk", filter=failed & ~sent),
            bounced=Count("pk", filter=failed & sent),
            last_sent_at=Max("sent_at"),
        )
    )
    TargetCount.objects.bulk_create(
        (
            TargetCount(
                campaign_id=row["action__campaign_id"],
                target_id=row["target_id"],
                sent=row["sent"],
                failed=row["failed"],
                bounced=row["bounced"],
                last_sent_at=row["last_sent_at"],
            )
            for row in per_target
        ),
        batch_size=1000,
    )


def forget_counts(apps, schema_editor):
    apps.get_model("actions", "LetterCount").objects.all().delete()
    apps.get_model("actions", "TargetCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("actions", "0014_letter_counts")]

    operations = [migrations.RunPython(count_existing, forget_counts)]
