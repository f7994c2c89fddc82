from pathlib import PurePath

from django.conf import settings
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from urgentaction.campaigns.languages import languages
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.photos import FOLDER
from urgentaction.core import staff_sessions
from urgentaction.lib.languages import first_visit_language
from urgentaction.lib.public_pages import is_anonymous, public_page

# The home page lists this many of the latest outcomes.
OUTCOMES_ON_HOME = 12


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """The live urgent actions. Visited first at ``/`` (not from one of our pages), the
    browser's language (Accept-Language) chooses the page; after that, the address does."""
    if request.path_info != "/":
        return _home(request)
    first = first_visit_language(request)
    if first is not None and first != settings.LANGUAGE_CODE:
        with translation.override(first):
            response = redirect("campaigns:home")
    else:
        response = _home(request)
    # A first visit's answer depends on the browser's language: no shared cache keeps it.
    if first is not None:
        patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _home(request: HttpRequest) -> HttpResponse:
    """The live urgent actions, the most urgent first, then the latest outcomes."""
    campaigns = _in_this_language(Campaign.objects.live().most_urgent_first())
    outcomes = _in_this_language(Campaign.objects.with_outcome(), limit=OUTCOMES_ON_HOME)
    shown = campaigns + outcomes
    version = ",".join(f"{c.pk}:{c.updated_at.timestamp()}" for c in shown)
    last_modified = max((c.updated_at for c in shown), default=timezone.now())
    context = {"campaigns": campaigns, "outcomes": outcomes}
    return public_page(
        request,
        version=version,
        last_modified=last_modified,
        build=lambda: render(request, "campaigns/home.html", context),
    )


def _in_this_language(campaigns, *, limit: int | None = None) -> list[Campaign]:
    """The first ``limit`` of ``campaigns`` (all without one); outside the default
    language, of those whose translation into it is published and complete."""
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return list(campaigns[:limit])
    campaigns = campaigns.select_related("letter").prefetch_related("targets", "copy_targets")
    return [c for c in campaigns if language in _languages(c)][:limit]


CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


@require_http_methods(["GET", "HEAD"])
def photo(request: HttpRequest, name: str) -> FileResponse:
    """A campaign's photo, for its page: a published campaign's to anyone, and to be kept
    by any cache for good (a new photo gets a new name); a draft's to staff who may
    preview it, privately."""
    path = f"{FOLDER}/{name}"
    named = Q(photo=path) | Q(photo_small=path)
    campaign = Campaign.objects.filter(named).only("status").first()
    if campaign is None:
        raise Http404
    draft = campaign.status == Campaign.Status.DRAFT
    if draft and not may_preview(request):
        raise Http404
    try:
        file = default_storage.open(path, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type=CONTENT_TYPES[PurePath(name).suffix])
    if draft:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=365 * 86400, immutable=True)
    return response


def may_preview(request: HttpRequest) -> bool:
    """Whether this browser belongs to staff who may see campaigns, signed in to the admin
    as the admin requires (both factors, a staff session that has not ended); only they
    may see a draft at its address. Visitors without a session cookie are not asked."""
    if is_anonymous(request) or not request.user.is_staff:
        return False
    return (
        admin.site.has_permission(request)
        and request.user.has_perm("campaigns.view_campaign")
        and staff_sessions.keep(request.session, request.user)
    )


def _languages(campaign: Campaign) -> list[str]:
    return languages(
        campaign, targets=list(campaign.targets.all()), letter=getattr(campaign, "letter", None)
    )
