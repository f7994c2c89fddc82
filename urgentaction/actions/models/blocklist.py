"""The words and email domains that hold a letter for review."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BlockedWord(models.Model):
    """A word or phrase that holds a letter for review (case does not matter)."""

    phrase = models.CharField(_("word or phrase"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    # With the count of rows, the version of the blocklist that web processes keep.
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("blocked word")
        verbose_name_plural = _("blocked words")

    def __str__(self) -> str:
        return self.phrase


class BlockedDomain(models.Model):
    """An email domain whose letters are held for review (e.g. a throwaway-address one)."""

    domain = models.CharField(_("email domain"), max_length=253, unique=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    # With the count of rows, the version of the blocklist that web processes keep.
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("blocked email domain")
        verbose_name_plural = _("blocked email domains")

    def __str__(self) -> str:
        return self.domain
