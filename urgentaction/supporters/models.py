from django.db import models
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.hashing import email_hash


class SupporterQuerySet(models.QuerySet):
    def with_email(self, email: str) -> "SupporterQuerySet":
        return self.filter(email_hash=email_hash(email))


class Supporter(models.Model):
    """A person who has acted or signed up, recognised by a keyed hash of their email."""

    # What a supporter gives with each letter, and we keep the latest of.
    DETAIL_FIELDS = (
        "first_name",
        "last_name",
        "address_line1",
        "address_line2",
        "town",
        "postcode",
        "country",
    )

    email_hash = models.CharField(_("email hash"), max_length=64, unique=True, editable=False)
    email = models.EmailField(_("email address"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    address_line1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
