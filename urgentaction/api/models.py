from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a key may do. Each endpoint names the scopes it needs (docs/api.md)."""

    READ = "read", _("read: campaigns and their letters, without personal data")
    WRITE = "write", _("write: send letters on supporters' behalf")
    PERSONAL = "personal", _("personal: names, addresses and letters; with write, erasure")


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at=None)


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

    def clean(self) -> None:
        unknown = set(self.scopes) - set(Scope.values)
        if unknown or not self.scopes:
            raise ValidationError({"scopes": _("Choose one or more of: read, write, personal.")})

    def allows(self, *scopes: str) -> bool:
        return set(scopes) <= set(self.scopes)
