"""The site's navigation: the pages in the header and the footer, and the privacy notice
that forms link. Every page shows it, so every cached page's version includes its own
(settings.PUBLIC_PAGE_VERSIONS), and a change to a page's place or title reaches them.
A page that read its version keeps the navigation in the process under it."""

from datetime import datetime

from django.db.models import Count, Expression, F, Func, Max, Model, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from urgentaction.lib.public_pages import Version, known_version
from urgentaction.pages.models import Page


class NavigationVersion:
    """What the navigation shows can only change with a page's save or deletion: the
    number of pages and the latest change (``lib.public_pages.SharedVersion``)."""

    def read(self) -> Version:
        pages = Page.objects.aggregate(updated=Max("updated_at"), count=Count("pk"))
        return _version(pages["count"], pages["updated"])

    def annotations(self) -> dict[str, Expression]:
        # A plain QuerySet: modeltranslation's would add every column to a values() of
        # expressions alone.
        pages = QuerySet(model=Page).order_by()
        return {
            "navigation_pages": Subquery(pages.values(count=Func(F("pk"), function="COUNT"))),
            "navigation_updated": Subquery(
                pages.values(latest=Func(F("updated_at"), function="MAX"))
            ),
        }

    def of(self, row: Model) -> Version:
        return _version(row.navigation_pages, row.navigation_updated)


def _version(count: int, updated: datetime | None) -> Version:
    return f"{count}:{updated.timestamp() if updated else 0}", updated


VERSION = NavigationVersion()
# The navigation in each language, under the version it was read at.
_kept: dict[tuple[str, str], dict[str, object]] = {}


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context for every template (a context processor), read only by those that show it:
    the public pages' header and footer, and the forms that link the privacy notice."""
    known = known_version(request, VERSION)
    if known is None:
        return {"site_navigation": SimpleLazyObject(_navigation)}
    return {"site_navigation": SimpleLazyObject(lambda: _kept_navigation(known[0]))}


def _kept_navigation(version: str) -> dict[str, object]:
    key = (version, get_language())
    found = _kept.get(key)
    if found is None:
        if _kept and next(iter(_kept))[0] != version:
            _kept.clear()
        found = _kept[key] = _navigation()
    return found


def forget() -> None:
    """Drop the navigation this process keeps (between tests)."""
    _kept.clear()


def _navigation() -> dict[str, object]:
    pages = list(Page.objects.published().exclude(place=Page.Place.NONE, role=Page.Role.NONE))
    shown = sorted((p for p in pages if p.place), key=lambda p: (p.position, p.pk))
    privacy = next((p for p in pages if p.role == Page.Role.PRIVACY), None)
    return {
        "header": [p for p in shown if p.place == Page.Place.HEADER],
        "footer": [p for p in shown if p.place == Page.Place.FOOTER],
        "privacy_notice_url": privacy.get_absolute_url() if privacy else "",
    }
