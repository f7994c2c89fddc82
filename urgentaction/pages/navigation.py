"""The site's navigation: the pages in the header and the footer, and the privacy notice
that forms link. Every page shows it, so every cached page's version includes its own
(settings.PUBLIC_PAGE_VERSIONS), and a change to a page's place or title reaches them."""

from datetime import datetime

from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from urgentaction.pages.models import Page


def version() -> tuple[str, datetime | None]:
    """What the navigation shows can only change with a page's save or deletion."""
    pages = Page.objects.aggregate(updated=Max("updated_at"), count=Count("pk"))
    updated = pages["updated"]
    return f"{pages['count']}:{updated.timestamp() if updated else 0}", updated


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context for every template (a context processor), read only by those that show it:
    the public pages' header and footer, and the forms that link the privacy notice."""
    return {"site_navigation": SimpleLazyObject(_navigation)}


def _navigation() -> dict[str, object]:
    pages = list(Page.objects.published().exclude(place=Page.Place.NONE, role=Page.Role.NONE))
    shown = sorted((p for p in pages if p.place), key=lambda p: (p.position, p.pk))
    privacy = next((p for p in pages if p.role == Page.Role.PRIVACY), None)
    return {
        "header": [p for p in shown if p.place == Page.Place.HEADER],
        "footer": [p for p in shown if p.place == Page.Place.FOOTER],
        "privacy_notice_url": privacy.get_absolute_url() if privacy else "",
    }
