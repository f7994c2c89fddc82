import uuid
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urgentaction.actions.confirmation import (
    confirm,
    letter_to_confirm,
    remember_address,
    remembered_addresses,
)
from urgentaction.actions.estimates import expected_departures
from urgentaction.actions.forms import ActionForm
from urgentaction.actions.links import letter_url
from urgentaction.actions.models import Action
from urgentaction.actions.services import Outcome, report_sent, take_action, tell_of_repeat
from urgentaction.actions.similarity import OWN_SHARE_NEEDED
from urgentaction.actions.submission import Letter, Refused, Submission
from urgentaction.campaigns.languages import has_letter_in, languages, letter_language, missing
from urgentaction.campaigns.models import Campaign, LetterTemplate
from urgentaction.campaigns.views import may_preview
from urgentaction.lib.client_ip import network_key
from urgentaction.lib.languages import translated_name
from urgentaction.lib.origin import same_origin
from urgentaction.lib.public_pages import is_anonymous, public_page
from urgentaction.lib.sources import source_tag
from urgentaction.mailings.models import Update
from urgentaction.mailings.updates import render_html
from urgentaction.supporters.models import ConsentText


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


def page_response(
    request: HttpRequest,
    campaign: Campaign,
    *,
    form: ActionForm | None = None,
    staff: bool = False,
    preview: bool = False,
) -> HttpResponse:
    """The campaign page; with ``form``, the letter form sent back with its errors. In a
    language its translation is not complete in, a page that offers those it is in
    (staff who may preview see it, with what is missing)."""
    prefetch_related_objects([campaign], "copy_targets")
    targets = list(campaign.targets.all())
    letter = getattr(campaign, "letter", None)
    language = get_language()
    shown_in = languages(campaign, targets=targets, letter=letter)
    untranslated = []
    if language not in shown_in:
        if not may_preview(request):
            context = {"campaign": campaign, "page_languages": shown_in}
            return render(request, "campaigns/not_translated.html", context, status=404)
        untranslated = missing(campaign, language, targets=targets, letter=letter)
    in_letter = letter_language(campaign, language, targets=targets, letter=letter)
    with translation.override(in_letter):
        suggested = letter.render_body(targets) if letter is not None else ""
        initial = _initial_letter(request, letter, suggested)
    # A letter in another language than the page's, with the page's to read beside it.
    in_own_language = ""
    if in_letter != language and has_letter_in(letter, language):
        in_own_language = letter.render_body(targets)
    # A draft's preview shows the form as the published page will, with sending off.
    open_for_letters = (campaign.is_live or preview) and targets
    if form is None and open_for_letters:
        form = ActionForm(campaign=campaign, initial=initial)
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
        "copy_targets": list(campaign.copy_targets.all()),
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


# The campaign page is the same for every visitor and any cache may keep it, so its form
# carries no per-visitor CSRF token: letters are guarded by the origin check, the proof
# of work, the limits, one letter per person and confirmation by email instead.
@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    """A letter sent from the campaign page's form (which posts to the page's address)."""
    # The letter and the targets, read once for the form, the checks and the rows.
    campaigns = (
        Campaign.objects.public()
        .select_related("letter")
        .prefetch_related("targets", "copy_targets")
    )
    campaign = get_object_or_404(campaigns, slug=slug)
    if not same_origin(request):
        return render(request, "campaigns/refused.html", status=403)
    targets = list(campaign.targets.all())
    letter = getattr(campaign, "letter", None)
    # Not taken in a language the campaign is not shown in: that page says which it is.
    if not (campaign.is_live and targets) or get_language() not in languages(
        campaign, targets=targets, letter=letter
    ):
        return page_response(request, campaign)
    form = ActionForm(request.POST, campaign=campaign)
    if not form.is_valid():
        return page_response(request, campaign, form=form)
    known = frozenset(remembered_addresses(request))
    try:
        outcome = take_action(
            letter=_letter(request, campaign, form),
            submission=Submission(
                proof=form.cleaned_data["altcha"],
                honeypot=form.cleaned_data["website"],
                stamp=form.cleaned_data["rendered"],
                network=network_key(request),
                confirmed_addresses=known,
            ),
        )
    except Refused as refusal:
        form.add_error(refusal.field, refusal.message)
        return page_response(request, campaign, form=form)
    _remember_letter(request, outcome, form.cleaned_data["form_token"], known)
    return redirect("actions:thanks", slug=campaign.slug)


def _letter(request: HttpRequest, campaign: Campaign, form: ActionForm) -> Letter:
    data = form.cleaned_data
    return Letter(
        campaign=campaign,
        **{name: data[name] for name in ActionForm.ACTION_FIELDS},
        wants_updates=bool(data.get("wants_updates")),
        initials_only=data["initials_only"],
        consent_text=form.consent_text,
        page_url=request.build_absolute_uri(campaign.get_absolute_url()),
        language=get_language(),
        letter_language=letter_language(
            campaign,
            get_language(),
            targets=list(campaign.targets.all()),
            letter=getattr(campaign, "letter", None),
        ),
    )


def _remember_letter(
    request: HttpRequest, outcome: Outcome, form_token: uuid.UUID, known: frozenset[str]
) -> None:
    """What the thank-you page may show this browser: its new letter, or the one it sent
    before if it proved it is theirs; otherwise nothing, and the address's owner is told."""
    action = outcome.action
    proven = (
        outcome.created
        or action.form_token == form_token
        or action.pk == request.session.get("action_id")
        or action.supporter.email_hash in known
    )
    if proven:
        request.session["action_id"] = action.pk
        request.session["repeat"] = not outcome.created and action.form_token != form_token
    else:
        tell_of_repeat(action)
        request.session["action_id"] = None
        request.session["repeat"] = True


# Shows the letter, name and address of the person whose session it is: no cache may keep it.
@never_cache
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """After-action page. The action is found through the session, never the URL, so the
    address can be bookmarked and shared without exposing anyone's letter."""
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    action = (
        Action.objects.filter(pk=request.session.get("action_id"), campaign=campaign)
        .select_related("campaign")
        .first()
    )
    targets = list(campaign.targets.all())
    copy_targets = list(campaign.copy_targets.all())
    context = {
        "campaign": campaign,
        "action": action,
        "repeat": request.session.get("repeat", False),
        "targets": targets,
        "copy_targets": copy_targets,
        "page_url": request.build_absolute_uri(campaign.get_absolute_url()),
        "expiry_days": settings.CONFIRMATION_EXPIRY_DAYS,
    }
    if action is not None:
        context["expected"] = expected_departures(action)
        context["compose_links"] = compose_links(
            action, [t.email for t in targets], copies=[t.email for t in copy_targets]
        )
        if campaign.offers_post:
            context["letter_url"] = letter_url(action)
            context["letter_link_days"] = settings.LETTER_LINK_DAYS
    return render(request, "actions/thanks.html", context)


@never_cache
@require_http_methods(["POST"])
def sent_it(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Did you send it?" Yes: a letter the supporter sent themselves now counts."""
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    action = Action.objects.filter(pk=request.session.get("action_id"), campaign=campaign).first()
    if action is not None:
        report_sent(action)
    return redirect("actions:thanks", slug=campaign.slug)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_letter(request: HttpRequest, token: str) -> HttpResponse:
    """GET and HEAD show the letter and a button, and change nothing (mail scanners follow
    links); the button POSTs. Unknown, used and expired tokens all get the same page."""
    action = confirm(token) if request.method == "POST" else letter_to_confirm(token)
    if action is None:
        context = {"expiry_days": settings.CONFIRMATION_EXPIRY_DAYS}
        return render(request, "actions/confirm_invalid.html", context)
    if request.method != "POST":
        context = {
            "action": action,
            "campaign": action.campaign,
            "targets": list(action.campaign.targets.all()),
            "copy_targets": list(action.campaign.copy_targets.all()),
            "opening": opening(action.body),
        }
        return render(request, "actions/confirm.html", context)
    request.session["action_id"] = action.pk
    request.session["repeat"] = False
    response = redirect("actions:thanks", slug=action.campaign.slug)
    remember_address(request, response, action.supporter.email_hash)
    return response


def opening(letter: str, length: int = 320) -> str:
    """The first lines of a letter, cut at a word, for someone to recognise it by."""
    if len(letter) <= length:
        return letter
    return letter[:length].rsplit(maxsplit=1)[0].rstrip(" ,;:") + " …"


def compose_links(
    action: Action, recipients: list[str], *, copies: list[str] = ()
) -> dict[str, str]:
    """Links that open the letter, ready to send, in the supporter's own email, with the
    campaign's copy targets copied in (Cc)."""
    to = ",".join(recipients)
    cc = {"cc": ",".join(copies)} if copies else {}
    body = action.signed_body()
    crlf_body = body.replace("\n", "\r\n")
    mailto_query = urlencode({**cc, "subject": action.subject, "body": crlf_body}, quote_via=quote)
    return {
        "mailto": f"mailto:{quote(to, safe='@,')}?{mailto_query}",
        "gmail": "https://mail.google.com/mail/?"
        + urlencode(
            {"view": "cm", "fs": "1", "to": to, **cc, "su": action.subject, "body": body},
            quote_via=quote,
        ),
        "outlook": "https://outlook.live.com/mail/0/deeplink/compose?"
        + urlencode({"to": to, **cc, "subject": action.subject, "body": body}, quote_via=quote),
    }
