"""Campaigns published before references existed get theirs, in the order they were
published, as if numbered then."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def number_published(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    ReferenceCounter = apps.get_model("campaigns", "ReferenceCounter")
    published = Campaign.objects.filter(published_at__isnull=False, reference_number=None)
    for campaign in published.order_by("published_at", "pk"):
        year = timezone.localdate(campaign.published_at).year
        counter, _created = ReferenceCounter.objects.get_or_create(series=str(year))
        counter.last += 1
        counter.save()
        Campaign.objects.filter(pk=campaign.pk).update(
            reference_prefix=settings.REFERENCE_PREFIX,
            reference_year=year,
            reference_number=counter.last,
        )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0011_references_and_follow_ups")]

    operations = [migrations.RunPython(number_published, migrations.RunPython.noop)]
