from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.encryption import EncryptedEmailField


class MyDataRequest(models.Model):
    """An address typed in at /my-data/, waiting for the worker to email it a link if we
    hold anything for it. The page stores this and nothing else, whatever the address, so
    that its answer takes as long whether or not we know it; the worker deletes it within
    seconds."""

    email = EncryptedEmailField(_("email"), max_length=254)
    # The page's language: the link is emailed in it.
    language = models.CharField(_("language"), max_length=35, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request for a link to one's data")
        verbose_name_plural = _("requests for a link to one's data")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} ({self.created_at:%Y-%m-%d %H:%M})"
