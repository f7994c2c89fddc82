from django.db import models
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.outbox import OutboxRow


class OutboundEmail(OutboxRow):
    """An email to a supporter (confirmation, reminder, failure notice): stored before it
    is sent, so that a crash or an unreachable mail server loses none."""

    kind = models.CharField(_("kind"), max_length=40)
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"), blank=True)
    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("action"),
    )

    class Meta:
        verbose_name = _("email to a supporter")
        verbose_name_plural = _("emails to supporters")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"
