import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models import Campaign, Channel, Target
from urgentaction.supporters.models import Supporter


class Action(models.Model):
    """One supporter's letter to a campaign's targets, exactly as they submitted it."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="actions", verbose_name=_("campaign")
    )
    supporter = models.ForeignKey(
        Supporter, on_delete=models.PROTECT, related_name="actions", verbose_name=_("supporter")
    )
    form_token = models.UUIDField(
        _("form token"), unique=True, editable=False, help_text=_("Makes resubmits harmless.")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("letter"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email address"), max_length=254)
    address_line1 = models.CharField(_("address line 1"), max_length=200)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=100)
    wants_updates = models.BooleanField(_("asked for updates"), default=False)
    consent_text = models.TextField(
        _("sign-up wording shown"), help_text=_("The exact words next to the sign-up box.")
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    referrer = models.CharField(_("referrer"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("taken"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}: {self.campaign}"

    @property
    def sender_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def sender_address_lines(self) -> list[str]:
        lines = [self.address_line1, self.address_line2, self.town, self.postcode, self.country]
        return [line for line in lines if line]

    def signed_body(self) -> str:
        """The letter as it goes out: the supporter's words, then their name and address."""
        signature = "\n".join([self.sender_name, *self.sender_address_lines()])
        return f"{self.body.rstrip()}\n\n{signature}\n"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now: datetime | None = None) -> "DeliveryQuerySet":
        """Deliveries a worker may claim: pending and due, or stuck past their lease."""
        now = now or timezone.now()
        pending = Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        abandoned = Q(status=Delivery.Status.SENDING, leased_until__lt=now)
        return self.filter(pending | abandoned)


class Delivery(models.Model):
    """One letter to one target: a durable outbox row the worker sends from."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("action")
    )
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("target")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    leased_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.action} → {self.target}"

    @staticmethod
    def new_message_id() -> str:
        domain = settings.LETTERS_FROM_EMAIL.rpartition("@")[2] or "localhost"
        return f"<{uuid.uuid4().hex}@{domain}>"
