from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from urgentaction.core import kept
from urgentaction.core.events import Event
from urgentaction.lib.encryption import EncryptedTextField
from urgentaction.lib.outbox import OutboxRow, OutboxStatus


class Scope(models.TextChoices):
    """What a key may do. Each endpoint names the scopes it needs (docs/api.md)."""

    READ = "read", _("read: campaigns and their letters, without personal data")
    WRITE = "write", _("write: send letters on supporters' behalf")
    PERSONAL = "personal", _("personal: names, addresses and letters; with write, erasure")


# The version of the endpoints that listen for events, which the web processes keep
# (api/webhooks/payloads.py): moved in the transaction of every change to an endpoint,
# and of every key revoked (which silences its endpoints).
WEBHOOKS = "webhooks"


class MovesWebhooksVersion(models.QuerySet):
    """An update or delete that changes which endpoints listen moves their version, in
    the same transaction (the caller's, if any: no savepoint is needed, as both go or
    neither)."""

    def moves_version(self, changed: dict) -> bool:
        return True

    def update(self, **kwargs) -> int:
        if not self.moves_version(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(savepoint=False):
            updated = super().update(**kwargs)
            if updated:
                kept.bump(WEBHOOKS)
        return updated

    @transaction.atomic(savepoint=False)
    def delete(self) -> tuple[int, dict[str, int]]:
        deleted = super().delete()
        if deleted[0]:
            kept.bump(WEBHOOKS)
        return deleted


class ApiKeyQuerySet(MovesWebhooksVersion):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at=None)

    def moves_version(self, changed: dict) -> bool:
        # Revoking a key stops its endpoints; its uses, written on every request, do not.
        return "revoked_at" in changed


class ApiKey(models.Model):
    """A partner system's key to the API. Only a hash of the key is stored: it is shown
    once, when made, and a copy of the database cannot be used to call the API."""

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("Whose system uses it, e.g. 'Partner CRM'. The audit log names it."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(
        _("starts with"),
        max_length=12,
        editable=False,
        help_text=_("The key's first characters, to tell keys apart."),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @transaction.atomic(savepoint=False)
    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        kept.bump(WEBHOOKS)
        return deleted

    def clean(self) -> None:
        unknown = set(self.scopes) - set(Scope.values)
        if unknown or not self.scopes:
            raise ValidationError({"scopes": _("Choose one or more of: read, write, personal.")})

    def allows(self, *scopes: str) -> bool:
        return set(scopes) <= set(self.scopes)


class WebhookEndpointQuerySet(MovesWebhooksVersion):
    def listening(self) -> "WebhookEndpointQuerySet":
        """Endpoints told of events: not disabled, and not registered by a key since
        revoked (revoking a key stops what it set up, at once)."""
        return self.filter(
            models.Q(api_key=None) | models.Q(api_key__revoked_at=None), disabled_at=None
        )


class WebhookEndpoint(models.Model):
    """A partner system's address that is sent the events it chose, signed with its own
    secret (Standard Webhooks). Its payloads carry personal data only if ``personal``:
    registered by a key with the personal scope, or so made by staff."""

    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    personal = models.BooleanField(
        _("with personal data"),
        default=False,
        help_text=_(
            "Payloads carry names, email addresses and letters. Only for a system that "
            "may hold them."
        ),
    )
    # Shown once, when made; kept encrypted, as it must be read to sign each payload.
    secret = EncryptedTextField(_("signing secret"), editable=False)
    api_key = models.ForeignKey(
        ApiKey,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name=_("registered with key"),
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True, editable=False)
    last_failure = models.CharField(_("last failure"), max_length=200, blank=True, editable=False)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True, editable=False)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    @transaction.atomic(savepoint=False)
    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        kept.bump(WEBHOOKS)

    @transaction.atomic(savepoint=False)
    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        kept.bump(WEBHOOKS)
        return deleted

    def clean(self) -> None:
        if not self.events or set(self.events) - set(Event.values):
            raise ValidationError({"events": _("Choose one or more of the events listed.")})


class WebhookDelivery(OutboxRow):
    """One event for one endpoint: a durable outbox row, sent by ``send_webhooks`` apart
    from letters. ``message_id`` is its ``webhook-id``, the same on every try, so that a
    receiver can tell a retry from a new event. The payload is blanked once the row is
    settled, and when the person it is about is erased."""

    Status = OutboxStatus

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    payload = EncryptedTextField(_("payload"), blank=True)
    supporter = models.ForeignKey(
        "supporters.Supporter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"
