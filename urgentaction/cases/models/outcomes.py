"""A case's outcome as staff record it, and the email each writer gets about it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models import Campaign
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Supporter


class OutcomeRecord(models.Model):
    """Staff recording a case's outcome: who did it and when, the letters it cancelled,
    and how far its email to everyone who wrote has got. What the outcome is (its kind,
    date and words) belongs to the campaign, whose pages show it."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Telling everyone who wrote")
        SENT = "sent", _("Everyone who wrote was told")

    campaign = models.OneToOneField(
        Campaign,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("campaign"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    letters_cancelled = models.PositiveIntegerField(_("letters cancelled"), default=0)
    emails_cancelled = models.PositiveIntegerField(
        _("emails to targets cancelled"),
        default=0,
        help_text=_("A letter to two targets and a copy target is three emails."),
    )
    status = models.CharField(
        _("outcome email"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    told = models.PositiveIntegerField(_("people told"), default=0)
    finished_at = models.DateTimeField(_("everyone told"), null=True, blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.campaign.get_outcome_kind_display()}"


class LetterFate(models.TextChoices):
    """What became of a writer's own letter, as their outcome email tells it."""

    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled: the case ended first")
    FAILED = "failed", _("Could not be delivered")
    OWN = "own", _("Sent by the writer themselves")


class OutcomeEmail(models.Model):
    """One person told of an outcome: one email each, however many letters they wrote on
    the case, however often the job that queues them runs."""

    record = models.ForeignKey(
        OutcomeRecord, on_delete=models.CASCADE, related_name="emails", verbose_name=_("outcome")
    )
    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="+", verbose_name=_("supporter")
    )
    email = models.OneToOneField(
        OutboundEmail, on_delete=models.CASCADE, related_name="+", verbose_name=_("email")
    )
    letter = models.CharField(_("their letter"), max_length=10, choices=LetterFate.choices)

    class Meta:
        verbose_name = _("outcome email")
        verbose_name_plural = _("outcome emails")
        constraints = [
            models.UniqueConstraint(fields=["record", "supporter"], name="one_outcome_email_each")
        ]

    def __str__(self) -> str:
        return f"{self.record} → {self.supporter_id}"
