from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The organisation's own pages (about us, manifesto, privacy notice, accessibility
    statement), written by staff in Markdown, and the site's navigation. At the top of the
    house: it reads lower apps, and nothing imports it."""

    name = "urgentaction.pages"
    verbose_name = _("Pages")
