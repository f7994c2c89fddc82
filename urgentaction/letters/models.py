import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models import Campaign, Target

# A bundle still "being made" after this long lost its maker (the worker died).
ABANDONED_AFTER = timedelta(hours=1)


class BundleQuerySet(models.QuerySet):
    def waiting(self) -> "BundleQuerySet":
        abandoned = Q(
            status=HandInBundle.Status.BUILDING, started_at__lt=timezone.now() - ABANDONED_AFTER
        )
        return self.filter(Q(status=HandInBundle.Status.WAITING) | abandoned)


class HandInBundle(models.Model):
    """A PDF made in the background for staff to print and hand in: every letter of a
    campaign, or its list of signatories."""

    class Kind(models.TextChoices):
        LETTERS = "letters", _("Letters")
        SIGNATORIES = "signatories", _("List of signatories (names and towns)")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        BUILDING = "building", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        # Made before one of its writers erased their data: the file is gone.
        STALE = "stale", _("To make again: a writer erased their data")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="bundles", verbose_name=_("campaign")
    )
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices, default=Kind.LETTERS)
    target = models.ForeignKey(
        Target,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("only letters to"),
        help_text=_("Leave empty for every target of the campaign."),
    )
    written_from = models.DateField(_("written from"), null=True, blank=True)
    written_until = models.DateField(_("written until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING, editable=False
    )
    file_name = models.CharField(max_length=100, editable=False, default="")
    pages = models.PositiveIntegerField(_("pages"), default=0, editable=False)
    letters = models.PositiveIntegerField(_("letters"), default=0, editable=False)
    error = models.TextField(_("error"), blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, editable=False)

    objects = BundleQuerySet.as_manager()

    class Meta:
        verbose_name = _("hand-in bundle")
        verbose_name_plural = _("hand-in bundles")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.campaign}"

    @property
    def path(self):
        return settings.DATA_DIR / "bundles" / self.file_name

    def new_file_name(self) -> str:
        return f"{uuid.uuid4().hex}.pdf"
