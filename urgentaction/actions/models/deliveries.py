"""A letter's way out: a delivery per target, the daily digests, the links that confirm
it."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models import Role, Target
from urgentaction.lib.outbox import OutboxQuerySet, OutboxRow, OutboxStatus

# Copies of a letter not yet gone: held for confirmation or review, or queued.
WAITING = [OutboxStatus.HELD, OutboxStatus.PENDING, OutboxStatus.SENDING]


def new_bounce_token() -> str:
    return secrets.token_hex(16)


class DeliveryQuerySet(OutboxQuerySet):
    def queued(self) -> "DeliveryQuerySet":
        """Letters waiting for their turn, or being sent now."""
        return self.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING])

    def retrying(self) -> "DeliveryQuerySet":
        """Letters put back for another try after a try that failed."""
        return self.filter(status=OutboxStatus.PENDING, attempts__gt=0)


class Delivery(OutboxRow):
    """One letter to one target, or a copy of it to a copy target: a durable outbox row the
    worker sends from. Held until the supporter confirms their address; then pending until
    a worker sends it."""

    Status = OutboxStatus

    action = models.ForeignKey(
        "Action", on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("action")
    )
    # Indexed by delivery_target_idx, which starts with it.
    target = models.ForeignKey(
        Target,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("target"),
        db_index=False,
    )
    # A copy is the same letter with a line that says so, paced at its target's own rate.
    role = models.CharField(_("role"), max_length=4, choices=Role.choices, default=Role.TO)
    bounce_token = models.CharField(
        _("bounce token"), max_length=32, unique=True, default=new_bounce_token, editable=False
    )
    digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("digest"),
        db_index=False,
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
            models.Index(fields=["target", "status"], name="delivery_target_idx"),
            # Letters being retried after a failed try: the staff home's alert. A queue
            # of a million letters waiting their turn holds few of them; the index names
            # status and attempts, or the planner would read the whole queue through
            # delivery_due_idx instead.
            models.Index(
                fields=["status", "attempts", "first_attempt_at"],
                condition=Q(status="pending", attempts__gt=0),
                name="delivery_retrying_idx",
            ),
            # Only the letters gathered in a digest, which few are.
            models.Index(
                fields=["digest"], condition=Q(digest__isnull=False), name="delivery_digest_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} → {self.target}"

    @property
    def return_path(self) -> str:
        """A per-delivery envelope sender, so a bounce names the letter it is about."""
        local, _, domain = settings.BOUNCE_ADDRESS.partition("@")
        return f"{local}+{self.bounce_token}@{domain}"


class Digest(OutboxRow):
    """One email carrying every letter for a target that asked for a daily digest."""

    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="digests", verbose_name=_("target")
    )

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="digest_due_idx")]

    def __str__(self) -> str:
        return f"{self.target} ({self.created_at:%Y-%m-%d})"


class ConfirmationLink(models.Model):
    """A link that lets a supporter confirm a letter in their name. Only a hash of its
    token is stored, so a copy of the database cannot confirm anything."""

    action = models.ForeignKey(
        "Action", on_delete=models.CASCADE, related_name="confirmation_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("confirmation link")
        verbose_name_plural = _("confirmation links")

    def __str__(self) -> str:
        return f"{self.action} ({self.created_at:%Y-%m-%d %H:%M})"
