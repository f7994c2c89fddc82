"""The counters behind the staff dashboards (kept by actions/tallies.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models import Campaign, Channel, Target


class Stage(models.TextChoices):
    """What happened to a letter, as the staff dashboards count it."""

    WRITTEN = "written", _("Written")
    # Counts in the campaign's total: its writer confirmed it, or sent it themselves.
    CONFIRMED = "confirmed", _("Confirmed")
    DELIVERED = "delivered", _("Delivered")
    HELD = "held", _("Held for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SIGNED_UP = "signed_up", _("Asked for updates")


class LetterCountQuerySet(models.QuerySet):
    def since(self, moment) -> "LetterCountQuerySet":
        return self.filter(hour__gte=moment)

    def totals(self, *by: str) -> "LetterCountQuerySet":
        """The counts added up per value of ``by`` (rows of dicts with ``total``)."""
        return self.order_by().values(*by).annotate(total=models.Sum("count"))


class LetterCount(models.Model):
    """How many letters of a campaign reached a stage in one hour, by channel and source
    tag. Kept as the letters go, in the transaction of each event (actions/tallies.py),
    so that dashboards add up a few rows an hour rather than every letter, whose source
    is encrypted besides. A count names no one: erasing a person leaves the counts as
    they are, as it leaves the campaign's total."""

    # Indexed as the first column of the unique constraint.
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="letter_counts",
        verbose_name=_("campaign"),
        db_index=False,
    )
    # The start of the hour, in UTC.
    hour = models.DateTimeField(_("hour"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("letters"), default=0)

    objects = LetterCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter count")
        verbose_name_plural = _("letter counts")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "hour", "stage", "channel", "source"], name="one_letter_count"
            )
        ]
        indexes = [
            # With the count in it, a dashboard adds up a stage's counts (per hour, or per
            # channel and source) from the index alone, without reading the table.
            models.Index(
                fields=["campaign", "stage", "hour", "channel", "source", "count"],
                name="letter_count_totals_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.hour:%Y-%m-%d %H}h {self.stage}: {self.count}"


class TargetCount(models.Model):
    """A campaign's letters to one target: how many were sent, failed or bounced, and when
    the last one went. Kept like LetterCount, and as free of anyone's name."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="target_counts",
        verbose_name=_("campaign"),
        db_index=False,
    )
    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="counts", verbose_name=_("target")
    )
    sent = models.PositiveIntegerField(_("sent"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    # Sent, then returned by the target's mail server.
    bounced = models.PositiveIntegerField(_("bounced"), default=0)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("target count")
        verbose_name_plural = _("target counts")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "target"], name="one_target_count")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.target_id}: {self.sent} sent"
