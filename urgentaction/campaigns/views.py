from pathlib import PurePath

from django.contrib import admin
from django.core.files.storage import default_storage
from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from urgentaction.actions.forms import ActionForm
from urgentaction.actions.similarity import OWN_SHARE_NEEDED
from urgentaction.campaigns.models import Campaign, LetterTemplate
from urgentaction.campaigns.photos import FOLDER
from urgentaction.core import staff_sessions
from urgentaction.lib.public_pages import is_anonymous, public_page
from urgentaction.lib.sources import source_tag
from urgentaction.mailings.models import Update
from urgentaction.mailings.updates import render_html
from urgentaction.supporters.models import ConsentText


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


@require_http_methods(["GET", "HEAD"])
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign page, the same for every visitor, so that any cache may keep it. Its
    form posts to the same address, where ``actions.views.submit`` takes the letter."""
    # Everything the page shows that can change, read in the one query a cache hit costs.
    published = Update.objects.published().filter(campaign=OuterRef("pk")).order_by()
    previewer = may_preview(request)
    campaign = get_object_or_404(
        (Campaign.objects.all() if previewer else Campaign.objects.public()).annotate(
            consent_version=Subquery(ConsentText.objects.newest_first().values("pk")[:1]),
            latest_update=Subquery(published.order_by("-pk").values("pk")[:1]),
            updates_shown=Subquery(
                published.values("campaign").annotate(count=Count("pk")).values("count")
            ),
        ),
        slug=slug,
    )
    staff = not is_anonymous(request) and request.user.is_staff
    version = (
        f"{campaign.updated_at.timestamp()}|{campaign.action_count}|{campaign.consent_version}|"
        f"{campaign.latest_update}:{campaign.updates_shown}|{staff}"
    )
    # A draft is shown only to staff, on a page of their own that no cache keeps.
    preview = campaign.status == Campaign.Status.DRAFT
    return public_page(
        request,
        version=version,
        last_modified=campaign.updated_at,
        build=lambda: page_response(request, campaign, staff=staff, preview=preview),
        variant=_source(request),
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


def page_response(
    request: HttpRequest,
    campaign: Campaign,
    *,
    form: ActionForm | None = None,
    staff: bool = False,
    preview: bool = False,
) -> HttpResponse:
    """The campaign page; with ``form``, the letter form sent back with its errors."""
    targets = list(campaign.targets.all())
    letter = getattr(campaign, "letter", None)
    suggested = letter.render_body(targets) if letter is not None else ""
    # A draft's preview shows the form as the published page will, with sending off.
    open_for_letters = (campaign.is_live or preview) and targets
    if form is None and open_for_letters:
        form = ActionForm(campaign=campaign, initial=_initial_letter(request, letter, suggested))
    context = {
        "campaign": campaign,
        "suggested_letter": suggested,
        "own_share_needed": OWN_SHARE_NEEDED,
        "targets": targets,
        "form": form if open_for_letters else None,
        "staff": staff,
        "preview": preview,
        "updates": [(update, render_html(update)) for update in campaign.updates.published()],
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "campaigns/campaign.html", context, status=status)


def _source(request: HttpRequest) -> str:
    """Where the link came from (``?source=``, or ``utm_`` tags), carried with the letter."""
    return source_tag(request.GET)


def _initial_letter(
    request: HttpRequest, letter: LetterTemplate | None, suggested: str
) -> dict[str, str]:
    # The referrer and the form token are filled in by the browser (enhance.js): the page
    # itself must be the same for everyone.
    initial = {"source": _source(request), "form_token": ""}
    if letter is not None:
        initial.update(subject=letter.subject, body=suggested)
    return initial
