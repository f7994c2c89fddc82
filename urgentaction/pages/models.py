from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from urgentaction.pages.placeholders import PLACEHOLDER_HELP


class PageQuerySet(models.QuerySet):
    def published(self) -> "PageQuerySet":
        return self.filter(published=True)


class Page(models.Model):
    """A page of the organisation's own, at /about/<slug>/."""

    class Place(models.TextChoices):
        HEADER = "header", _("In the header")
        FOOTER = "footer", _("In the footer")
        NONE = "", _("Not in the navigation")

    class Role(models.TextChoices):
        NONE = "", _("An ordinary page")
        PRIVACY = "privacy", _("The privacy notice")

    slug = models.SlugField(
        _("web address"),
        max_length=100,
        unique=True,
        help_text=_("The page is at /about/<this>/, e.g. /about/privacy/."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One sentence, shown when the page's link is shared."),
    )
    body = models.TextField(_("text"), help_text=PLACEHOLDER_HELP)
    place = models.CharField(
        _("place in the navigation"), max_length=10, choices=Place.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first in their place.")
    )
    menu_title = models.CharField(
        _("title in the navigation"),
        max_length=60,
        blank=True,
        help_text=_("A shorter title for the header or footer; empty: the page's title."),
    )
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=Role.choices,
        blank=True,
        help_text=_("The privacy notice is linked beside every form that asks for personal data."),
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Unpublished pages are seen by staff only.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["place", "position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"], condition=~Q(role=""), name="one_page_per_role"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"slug": self.slug})

    @property
    def link_text(self) -> str:
        return self.menu_title or self.title
