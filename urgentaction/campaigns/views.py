from pathlib import PurePath

from django.contrib import admin
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.photos import FOLDER
from urgentaction.core import staff_sessions
from urgentaction.lib.public_pages import is_anonymous, public_page


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    campaigns = list(Campaign.objects.live().most_urgent_first())
    version = ",".join(f"{c.pk}:{c.updated_at.timestamp()}" for c in campaigns)
    last_modified = max((c.updated_at for c in campaigns), default=timezone.now())
    return public_page(
        request,
        version=version,
        last_modified=last_modified,
        build=lambda: render(request, "campaigns/home.html", {"campaigns": campaigns}),
    )


CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


@require_http_methods(["GET", "HEAD"])
def photo(request: HttpRequest, name: str) -> FileResponse:
    """A campaign's photo, for its page: a published campaign's to anyone, and to be kept
    by any cache for good (a new photo gets a new name); a draft's to staff who may
    preview it, privately."""
    path = f"{FOLDER}/{name}"
    campaign = Campaign.objects.filter(photo=path).only("status").first()
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
