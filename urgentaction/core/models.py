from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who looked at, took out or deleted personal data, or emailed the people it names,
    and when: a staff member, or a partner's system through an API key (by the key's
    name, which outlives the key)."""

    class Kind(models.TextChoices):
        VIEW_LIST = "view_list", _("Viewed a list")
        VIEW = "view", _("Viewed a record")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded a bundle")
        SEND = "send", _("Sent an email")
        DELETE = "delete", _("Deleted a record")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    api_key = models.CharField(_("API key"), max_length=100, blank=True)
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    subject = models.CharField(_("of what"), max_length=200)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]
        constraints = [
            # Every entry names exactly one who.
            models.CheckConstraint(
                condition=Q(user__isnull=False, api_key="") | Q(user=None) & ~Q(api_key=""),
                name="audit_entry_names_one_who",
            )
        ]

    def __str__(self) -> str:
        return f"{self.who} {self.get_kind_display()}: {self.subject}"

    @property
    def who(self) -> str:
        return str(self.user) if self.user_id else f"API key {self.api_key}"


class RateCounter(models.Model):
    """Hits on one key in one time window, for rate limits without Redis; and the use of
    a proof of work, which may be used once (in window 0, until its challenge expires)."""

    key = models.CharField(max_length=100)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="one_counter")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.count}"


class StaffSession(models.Model):
    """The server's half of a staff member's sign-in (core/staff_sessions.py): the admin
    admits a session only while its row lives."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.user} until {self.expires_at:%Y-%m-%d %H:%M}"


class KeptVersion(models.Model):
    """The version of something the site's processes keep (core/kept.py), such as the
    webhook endpoints that listen for events: its owner moves ``number`` in the
    transaction of every change to it."""

    name = models.CharField(max_length=50, unique=True)
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.number}"
