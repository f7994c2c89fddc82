from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.encryption import EncryptedEmailField, EncryptedTextField
from urgentaction.lib.outbox import OutboxRow


class UpdateQuerySet(models.QuerySet):
    def published(self) -> "UpdateQuerySet":
        return self.filter(published=True).order_by("-created_at")

    def sending(self) -> "UpdateQuerySet":
        return self.filter(status=Update.Status.SENDING)

    def with_progress(self) -> "UpdateQuerySet":
        """Each with ``queued``, its emails queued so far, and ``sent``, those sent."""
        return self.annotate(
            queued=models.Count("emails"),
            sent=models.Count("emails", filter=models.Q(emails__status="sent")),
        )


class Update(models.Model):
    """News about a campaign (often its outcome), emailed to everyone who consented and,
    if published, shown on the campaign's page."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("campaign"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Markdown: *emphasis*, **strong**, [links](https://...), lists.")
    )
    published = models.BooleanField(_("show on the campaign page"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, editable=False)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-created_at"]
        permissions = [("send_update", _("Can send an update to everyone who asked for updates"))]

    def __str__(self) -> str:
        return self.subject

    def renew_campaign_page(self) -> None:
        """The campaign's page shows its published updates: mark the campaign changed, so
        that cached copies of the page are made again."""
        campaigns = self._meta.get_field("campaign").related_model.objects
        campaigns.filter(pk=self.campaign_id).update(updated_at=timezone.now())


class OutboundEmail(OutboxRow):
    """An email to a supporter (confirmation, reminder, failure notice): stored before it
    is sent, so that a crash or an unreachable mail server loses none."""

    kind = models.CharField(_("kind"), max_length=40)
    to = EncryptedEmailField(_("to"), max_length=254)
    # The address's keyed hash: how a person's emails are found (``to`` is encrypted).
    to_hash = models.CharField(max_length=64, db_index=True, editable=False, default="")
    subject = EncryptedTextField(_("subject"), max_length=300)
    text = EncryptedTextField(_("plain text"))
    html = EncryptedTextField(_("HTML"), blank=True)
    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("action"),
    )
    # The letter that could not be delivered, for the email that quotes it (rendered
    # when sent, so that the letter's text is stored once, on the letter).
    delivery = models.ForeignKey(
        "actions.Delivery",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivery"),
        db_index=False,
    )
    from_email = models.CharField(_("from"), max_length=300, blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    # Indexed by one_copy_per_update, which starts with it.
    update = models.ForeignKey(
        Update,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        db_index=False,
    )
    supporter = models.ForeignKey(
        "supporters.Supporter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        db_index=False,
    )

    class Meta:
        verbose_name = _("email to a supporter")
        verbose_name_plural = _("emails to supporters")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="email_due_idx"),
            # Most emails are about a letter and name neither: only those that do are
            # indexed, so that a letter's confirmation writes no page of these.
            models.Index(
                fields=["delivery"], condition=Q(delivery__isnull=False), name="email_delivery_idx"
            ),
            models.Index(
                fields=["supporter"],
                condition=Q(supporter__isnull=False),
                name="email_supporter_idx",
            ),
        ]
        constraints = [
            # However often the fan-out runs (a worker restarted midway), one copy each.
            models.UniqueConstraint(fields=["update", "supporter"], name="one_copy_per_update")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"
