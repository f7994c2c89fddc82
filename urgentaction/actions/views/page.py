"""The campaign page: read under its versions, kept whole by the caches and in parts by
each process, with its letter form."""

import functools
import secrets

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from urgentaction.actions import page_kept
from urgentaction.actions.forms import ActionForm
from urgentaction.actions.similarity import OWN_SHARE_NEEDED
from urgentaction.campaigns import letter_count
from urgentaction.campaigns.languages import has_letter_in, letter_language, missing
from urgentaction.campaigns.models import Campaign, LetterTemplate
from urgentaction.campaigns.views import may_preview
from urgentaction.lib.fragments import Fragment
from urgentaction.lib.languages import translated_name
from urgentaction.lib.public_pages import (
    is_anonymous,
    known_shared_version,
    public_page,
    with_shared_versions,
)
from urgentaction.lib.sources import source_tag
from urgentaction.mailings.models import Update
from urgentaction.mailings.updates import render_html
from urgentaction.supporters.models import ConsentText


@require_http_methods(["GET", "HEAD"])
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign page, the same for every visitor, so that any cache may keep it. Its
    form posts to the same address, where ``actions.views.submit`` takes the letter."""
    campaign = get_object_or_404(page_campaigns(previewer=may_preview(request)), slug=slug)
    staff = not is_anonymous(request) and request.user.is_staff
    version = f"{page_version(campaign)}|{staff}"
    # A draft is shown only to staff, on a page of their own that no cache keeps.
    preview = campaign.status == Campaign.Status.DRAFT
    return public_page(
        request,
        version=version,
        last_modified=campaign.updated_at,
        build=lambda: page_response(
            request, campaign, staff=staff, preview=preview, count_later=True
        ),
        variant=_source(request),
        fresh=letter_count.fresh(campaign),
        shared_from=campaign,
    )


@functools.cache
def page_campaigns(*, previewer: bool = False) -> QuerySet[Campaign]:
    """The campaigns whose pages may be shown (all of them to staff who may preview), with
    their version: made once per process, since making its subqueries costs several
    times what running them does, and never read itself (each use filters a copy)."""
    return with_page_version(Campaign.objects.all() if previewer else Campaign.objects.public())


def with_page_version(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Everything a campaign's page shows that can change, read in the one query a cache
    hit costs (``page_version``), with what every page shows (``with_shared_versions``)."""
    published = Update.objects.published().filter(campaign=OuterRef("pk")).order_by()
    # The other pages of its case, which it links to: any change to one is a new version.
    case = (
        Campaign.objects.annotate(case=Coalesce("follow_up_of", "pk"))
        .filter(case=OuterRef("case"))
        .order_by()
        .values("case")
    )
    campaigns = with_shared_versions(campaigns)
    return campaigns.annotate(case=Coalesce("follow_up_of", "pk")).annotate(
        consent_version=Subquery(ConsentText.objects.newest_first().values("pk")[:1]),
        latest_update=Subquery(published.order_by("-pk").values("pk")[:1]),
        updates_shown=Subquery(
            published.values("campaign").annotate(count=Count("pk")).values("count")
        ),
        case_pages=Subquery(case.annotate(count=Count("pk")).values("count")),
        case_changed=Subquery(case.annotate(latest=Max("updated_at")).values("latest")),
    )


def page_version(campaign: Campaign) -> str:
    """What a cached copy of the campaign's page is keyed by: any change makes a new one,
    but for the count, which is filled in as the page is served (``letter_count``)."""
    return (
        f"{campaign.updated_at.timestamp()}|{campaign.consent_version}|"
        f"{campaign.latest_update}:{campaign.updates_shown}|"
        f"{campaign.case_pages}:{campaign.case_changed.timestamp()}"
    )


def page_response(
    request: HttpRequest,
    campaign: Campaign,
    *,
    form: ActionForm | None = None,
    staff: bool = False,
    preview: bool = False,
    layout: dict[str, object] | None = None,
    source: str | None = None,
    count_later: bool = False,
) -> HttpResponse:
    """The campaign page; with ``form``, the letter form sent back with its errors. In a
    language its translation is not complete in, a page that offers those it is in
    (staff who may preview see it, with what is missing). ``layout``: what a page laid out
    for another site's frame adds (actions/embed.py); ``source``: the form's source tag,
    if not the address's own; ``count_later``: marks where the count goes, for a page
    stored without it (``campaigns/letter_count.py``)."""
    layout = dict(layout or {})
    parts = page_kept.kept(campaign)
    targets, letter = parts.targets, parts.letter
    language = get_language()
    shown_in = parts.languages
    untranslated = []
    if language not in shown_in:
        if not may_preview(request):
            context = {"campaign": campaign, "page_languages": shown_in, **layout}
            return render(request, "campaigns/not_translated.html", context, status=404)
        untranslated = missing(
            campaign, language, targets=targets, letter=letter, copy_targets=parts.copy_targets
        )
    in_letter = letter_language(campaign, language, targets=targets, letter=letter)
    with translation.override(in_letter):
        suggested = letter.render_body(targets) if letter is not None else ""
        initial = _initial_letter(_source(request) if source is None else source, letter, suggested)
    # A letter in another language than the page's, with the page's to read beside it.
    in_own_language = ""
    if in_letter != language and has_letter_in(letter, language):
        in_own_language = letter.render_body(targets)
    # A draft's preview shows the form as the published page will, with sending off.
    open_for_letters = (campaign.is_live or preview) and targets
    keepable = form is None and count_later and not preview
    if form is None and open_for_letters:
        # The newest sign-up wording's id comes with the campaign (``with_page_version``).
        newest = getattr(campaign, "consent_version", None)
        form = ActionForm(campaign=campaign, initial=initial, newest_consent=newest)
    fragment = (
        _fragment(request, campaign, form, layout, staff=staff, source=initial["source"])
        if keepable
        else None
    )
    if form is not None and in_letter != language:
        for name in ("subject", "body"):
            form.fields[name].widget.attrs["lang"] = in_letter
    context = {
        "campaign": campaign,
        "page_languages": shown_in,
        "untranslated": untranslated,
        "letter_language": in_letter,
        "letter_language_name": translated_name(in_letter),
        "page_language_name": translated_name(language),
        "letter_in_own_language": in_own_language,
        "suggested_letter": suggested,
        "own_share_needed": OWN_SHARE_NEEDED,
        "targets": targets,
        "copy_targets": parts.copy_targets,
        "form": form if open_for_letters else None,
        "staff": staff,
        "preview": preview,
        "updates": [(update, render_html(update)) for update in published_updates(campaign)],
        "case_pages": case_pages(campaign),
        "sections": page_kept.sections(campaign, language, lambda: sections(request, campaign)),
        "count_later": count_later,
        **layout,
        "page_fragment": fragment,
        "form_parts": _form_parts(fragment, form),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "campaigns/campaign.html", context, status=status)


# Where the kept page has what changes with every view: the form's signed time, and in a
# frame its signed token (``fragments.Fragment``).
_STAMP_MARK = f"fill-{secrets.token_hex(8)}-rendered"
_TOKEN_MARK = f"fill-{secrets.token_hex(8)}-embed-token"


def _fragment(
    request: HttpRequest,
    campaign: Campaign,
    form: ActionForm | None,
    layout: dict[str, object],
    *,
    staff: bool,
    source: str,
) -> Fragment | None:
    """The page's content as each process keeps it, under everything it shows: the
    campaign's version (``page_version``), the navigation's, the language, the source
    tag, staff's notices and the frame's layout; None when any is unknown (a campaign
    read without its version). Only an empty form's page is kept: one sent back keeps
    what was typed."""
    shared = known_shared_version(request)
    if shared is None or not hasattr(campaign, "case_changed"):
        return None
    fills = {}
    if form is not None:
        fills[_STAMP_MARK] = form.initial["rendered"]
        form.initial["rendered"] = _STAMP_MARK
    if "embed_token" in layout:
        fills[_TOKEN_MARK] = layout["embed_token"]
        layout["embed_token"] = _TOKEN_MARK
    framed = tuple((name, repr(value)) for name, value in layout.items() if name != "embed_token")
    key = (campaign.pk, page_version(campaign), shared, get_language(), source, staff, framed)
    return Fragment(key=key, fills=fills)


def _form_parts(page: Fragment | None, form: ActionForm | None) -> Fragment | None:
    """The parts of the letter form that show nothing of the campaign but the ways it
    offers to send a letter (the inputs for the writer's details with their labels and
    hints, the ways to send, the sign-up box, the proof-of-work widget), kept by each
    process under what they show: the language, the country the form starts with, the
    ways offered and the sign-up wording (never changed once saved). A campaign's new
    version then does not make them again. Only where the page's content is kept: its
    form is empty."""
    if page is None or form is None:
        return None
    channels = tuple(value for value, _ in form.fields["channel"].choices)
    return Fragment(
        key=(get_language(), form.initial["country"], channels, form.initial.get("consent_version"))
    )


def published_updates(campaign: Campaign) -> list[Update]:
    """Its published updates; read only if there are any, when its version has said so
    (``with_page_version``)."""
    if getattr(campaign, "updates_shown", True) is None:
        return []
    return list(campaign.updates.published())


def case_pages(campaign: Campaign) -> list[Campaign]:
    """The published pages of the campaign's case, newest first, and its own (a draft, in
    staff's preview); none for a case of one page, which its version may already say."""
    if getattr(campaign, "case_pages", None) == 1:
        return []
    shown = Q(pk=campaign.pk) | ~Q(status=Campaign.Status.DRAFT)
    pages = list(Campaign.objects.in_case(campaign).filter(shown).newest_first())
    return pages if len(pages) > 1 else []


def sections(request: HttpRequest, campaign: Campaign) -> list[str]:
    """What the apps above this one show of the case on its page (each a function named
    in settings.CAMPAIGN_PAGE_SECTIONS, e.g. the targets' published responses), as HTML
    their templates made safe. Each marks the campaign changed when what it shows
    changes, so that the page's cached copies, and what each process keeps of them
    (``page_kept``), are made again."""
    found = (import_string(path)(request, campaign) for path in settings.CAMPAIGN_PAGE_SECTIONS)
    return [html for html in found if html]


def _source(request: HttpRequest) -> str:
    """Where the link came from (``?source=``, or ``utm_`` tags), carried with the letter."""
    return source_tag(request.GET)


def _initial_letter(source: str, letter: LetterTemplate | None, suggested: str) -> dict[str, str]:
    # The referrer and the form token are filled in by the browser (enhance.js): the page
    # itself must be the same for everyone.
    initial = {"source": source, "form_token": ""}
    if letter is not None:
        initial.update(subject=letter.subject, body=suggested)
    return initial
