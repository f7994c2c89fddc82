"""What a target answered, and who held the office when."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models import Campaign, Target
from urgentaction.cases.documents import document_name, store_document, validate_document


class TenureQuerySet(models.QuerySet):
    def covering(self, moment: datetime) -> "TenureQuerySet":
        """The tenures that ``moment`` falls in (one per target)."""
        return self.filter(
            Q(since=None) | Q(since__lte=moment), Q(until=None) | Q(until__gt=moment)
        )

    def public(self) -> "TenureQuerySet":
        """Tenures of targets that a published campaign writes to."""
        public = Campaign.objects.public().filter(targets=OuterRef("target"))
        return self.filter(Exists(public))


class Tenure(models.Model):
    """Who held a target's office, and from when to when: letters, answers and replies
    are counted for the person who held the office when the letter went. The worker
    notices a new holder within a minute of staff recording them (``tenures.py``)."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="tenures", verbose_name=_("target")
    )
    holder = models.CharField(_("holder"), max_length=200, blank=True)
    since = models.DateTimeField(
        _("since"), null=True, blank=True, help_text=_("Empty: from the first letter.")
    )
    until = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Empty: holds the office now.")
    )

    objects = TenureQuerySet.as_manager()

    class Meta:
        verbose_name = _("tenure")
        verbose_name_plural = _("tenures")
        ordering = ["target", models.F("since").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["target"], condition=Q(until=None), name="one_current_tenure_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target.office} ({self.holder})" if self.holder else self.target.office


class ResponseQuerySet(models.QuerySet):
    def published(self) -> "ResponseQuerySet":
        return self.filter(published=True).order_by("-received_on", "-pk")


class TargetResponse(models.Model):
    """A target's response to a case, logged by staff: a letter or email back, a public
    statement, a meeting. Shown on the case's pages and the target's page once staff
    say it may be published."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("Email")
        STATEMENT = "statement", _("Public statement")
        MEETING = "meeting", _("Meeting")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="responses", verbose_name=_("case")
    )
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="responses", verbose_name=_("from")
    )
    holder = models.CharField(
        _("holder at the time"),
        max_length=200,
        blank=True,
        help_text=_("Who held the office when it responded. Empty: who holds it now."),
    )
    received_on = models.DateField(_("date"))
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    summary = models.TextField(
        _("summary"), help_text=_("A few sentences, in your words: what they said or did.")
    )
    text = models.TextField(
        _("full text"), blank=True, help_text=_("Their words, as they sent or said them.")
    )
    document = models.FileField(
        _("PDF"),
        upload_to=document_name,
        blank=True,
        validators=[validate_document],
        help_text=_(
            "Optional: the response as a PDF of 10 MB or less. Its author, dates and other "
            "hidden details are removed before it is stored."
        ),
    )
    published = models.BooleanField(
        _("may be published"),
        default=False,
        help_text=_("Shown on the case's page and the target's page."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response from a target")
        verbose_name_plural = _("responses from targets")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.target.office}, {self.received_on:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if not self.holder:
            self.holder = self.target.holder
        store_document(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        name = self.document.name
        if name:
            transaction.on_commit(lambda: default_storage.delete(name))
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        theirs = self.campaign_id and self.target_id
        if theirs and not self.campaign.targets.filter(pk=self.target_id).exists():
            raise ValidationError({"target": _("Choose one of the case's targets.")})
