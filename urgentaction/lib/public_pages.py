"""Public pages that any cache may keep: no cookie is set or read on a GET, the page
carries an ETag and Last-Modified (so revalidation answers 304), and the rendered HTML
is kept in the shared cache under its version, so a new version (an edit) is a new entry
and nothing needs purging. What changes far more often than the page (a campaign's count
of letters) is ``Fresh``: it is filled into the stored HTML as the page is served, so
that a new letter does not make the page again, and it is part of the ETag and
Last-Modified, so that no revalidation answers 304 to a page whose count has moved."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.db.models import Expression, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.module_loading import import_string

BROWSER_SECONDS = 30
SHARED_SECONDS = 60


@dataclass(frozen=True)
class Fresh:
    """What a page shows that is read as it is served: ``version`` (say, the count),
    ``changed``, when it last changed (None: never), and ``fill``, which puts it into the
    page's HTML as stored (where the page's template left a mark for it)."""

    version: str
    changed: datetime | None
    fill: Callable[[bytes], bytes]


Version = tuple[str, datetime | None]


class SharedVersion(Protocol):
    """What every page shows besides its own content (the navigation), as one of
    settings.PUBLIC_PAGE_VERSIONS: its version and when it last changed, read alone
    (``read``) or from columns (``annotations``) that a page's own read carries
    (``of``)."""

    def read(self) -> Version: ...

    def annotations(self) -> dict[str, Expression]: ...

    def of(self, row: Model) -> Version: ...


def _sources() -> list[SharedVersion]:
    return [import_string(path) for path in getattr(settings, "PUBLIC_PAGE_VERSIONS", [])]


def with_shared_versions(queryset: QuerySet) -> QuerySet:
    """``queryset`` carrying the versions of what every page shows, so that a page that
    reads its own row anyway reads them in the same statement (``public_page``'s
    ``shared_from``)."""
    for source in _sources():
        queryset = queryset.annotate(**source.annotations())
    return queryset


def known_version(request: HttpRequest, source: SharedVersion) -> Version | None:
    """``source``'s version as this request read it, if it did: what shows it (the
    navigation) may then be kept under it."""
    return getattr(request, "_shared_versions", {}).get(source)


def known_shared_version(request: HttpRequest) -> str | None:
    """The version of what every page shows, if this request read it (``public_page``)."""
    versions = getattr(request, "_shared_versions", None)
    return None if versions is None else _shared_version(versions.values())[0]


def is_anonymous(request: HttpRequest) -> bool:
    """No session cookie: the page cannot depend on who is asking."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def public_page(
    request: HttpRequest,
    *,
    version: str,
    last_modified: datetime,
    build: Callable[[], HttpResponse],
    variant: str = "",
    fresh: Fresh | None = None,
    shared_from: Model | None = None,
) -> HttpResponse:
    """``variant``: what of the request (beyond its path) the page shows, if anything;
    any other query string (a tracker's, or a flood of made-up ones) shares its entry.
    ``fresh``: what is filled in as the page is served, outside its stored version.
    ``shared_from``: the page's own row, read ``with_shared_versions``; without it they
    are read here, one statement."""
    if shared_from is not None:
        request._shared_versions = {source: source.of(shared_from) for source in _sources()}
    if not is_anonymous(request):
        response = build()
        if fresh is not None and response.status_code == 200:
            response.content = fresh.fill(response.content)
        patch_cache_control(response, private=True, no_cache=True)
        return response
    if shared_from is None:
        request._shared_versions = {source: source.read() for source in _sources()}
    shared, shared_modified = _shared_version(request._shared_versions.values())
    identity = f"{request.path}|{variant}|{version}|{shared}"
    stored = hashlib.sha256(identity.encode()).hexdigest()[:32]
    shown = identity + (f"|{fresh.version}" if fresh is not None else "")
    etag = '"' + hashlib.sha256(shown.encode()).hexdigest()[:32] + '"'
    changed = [last_modified, shared_modified, fresh.changed if fresh is not None else None]
    stamp = int(max(moment for moment in changed if moment is not None).timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=stamp)
    if not_modified is not None:
        return _headers(not_modified, etag, stamp)
    key = "page:" + stored
    html = cache.get(key)
    if html is None:
        response = build()
        if response.status_code != 200:
            return response
        html = response.content
        cache.set(key, html, SHARED_SECONDS)
    if fresh is not None:
        html = fresh.fill(html)
    return _headers(HttpResponse(html), etag, stamp)


def _shared_version(read: Iterable[Version]) -> Version:
    """The version of what every page shows besides its own content (the navigation),
    from the sources settings.PUBLIC_PAGE_VERSIONS names. This module knows no app."""
    versions, latest = [], None
    for version, modified in read:
        versions.append(version)
        if modified is not None and (latest is None or modified > latest):
            latest = modified
    return "|".join(versions), latest


def _headers(response: HttpResponse, etag: str, stamp: int) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp)
    patch_cache_control(response, public=True, max_age=BROWSER_SECONDS, s_maxage=SHARED_SECONDS)
    return response
