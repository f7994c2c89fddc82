from collections.abc import Callable

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urgentaction.actions.confirmation import remembered_addresses
from urgentaction.actions.forms import ActionForm
from urgentaction.actions.services import Refused, Screening, take_action, tell_of_repeat
from urgentaction.actions.similarity import OWN_SHARE_NEEDED
from urgentaction.campaigns.models import Campaign, LetterTemplate
from urgentaction.lib.client_ip import network_key
from urgentaction.lib.forms import prove
from urgentaction.lib.hashing import email_hash
from urgentaction.lib.origin import same_origin
from urgentaction.lib.public_pages import is_anonymous, public_page
from urgentaction.lib.ratelimit import hit
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


# The page is the same for every visitor, so any cache may keep it; the form is guarded
# by the origin check, the one-action-per-person rule and confirmation by email, not by
# a per-visitor token.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "POST":
        # The letter and the targets, read once for the form, the checks and the rows.
        campaigns = Campaign.objects.public().select_related("letter").prefetch_related("targets")
        return _post(request, get_object_or_404(campaigns, slug=slug))
    # Everything the page shows that can change, read in the one query a cache hit costs.
    published = Update.objects.published().filter(campaign=OuterRef("pk")).order_by()
    campaign = get_object_or_404(
        Campaign.objects.public().annotate(
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
    return public_page(
        request,
        version=version,
        last_modified=campaign.updated_at,
        build=lambda: _page(request, campaign, staff=staff),
        variant=_source(request),
    )


def _page(
    request: HttpRequest, campaign: Campaign, *, form: ActionForm | None = None, staff: bool = False
) -> HttpResponse:
    targets = list(campaign.targets.all())
    letter = getattr(campaign, "letter", None)
    suggested = letter.render_body(targets) if letter is not None else ""
    if form is None and campaign.is_live and targets:
        form = ActionForm(campaign=campaign, initial=_initial_letter(request, letter, suggested))
    context = {
        "campaign": campaign,
        "suggested_letter": suggested,
        "own_share_needed": OWN_SHARE_NEEDED,
        "targets": targets,
        "form": form if campaign.is_live and targets else None,
        "staff": staff,
        "updates": [(update, render_html(update)) for update in campaign.updates.published()],
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "campaigns/campaign.html", context, status=status)


@never_cache
def _post(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    if not same_origin(request):
        return render(request, "campaigns/refused.html", status=403)
    if not (campaign.is_live and campaign.targets.exists()):
        return _page(request, campaign)
    form = ActionForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            return _accept(request, campaign, form)
        except Refused:
            pass
    return _page(request, campaign, form=form)


def _screen(request: HttpRequest, form: ActionForm) -> Callable[[], Screening]:
    """The checks of a new letter, run inside the transaction that stores it (so the
    spent proof, and the counters unless they are in Redis, are written with the letter,
    at one commit). A letter from an address that wrote before passes them too before
    anything says so."""

    def screen() -> Screening:
        proof = prove(form)
        held_reasons = _apply_limits(request, form) if form.is_valid() else []
        if not form.is_valid():
            raise Refused
        return Screening(
            # Sent without a proof of work (no JavaScript, or a script posting the form):
            # the letter goes only once the address's owner confirms it.
            must_confirm=proof is None,
            held_reasons=(*form.held_reasons(proof), *held_reasons),
        )

    return screen


def _apply_limits(request: HttpRequest, form: ActionForm) -> list[str]:
    """Rate limits on new letters: too many from one address are refused (with a message,
    keeping what was typed); too many from one network are held."""
    data = form.cleaned_data
    limit = settings.ACTIONS_PER_EMAIL_PER_DAY
    email_ok = hit(f"email:{email_hash(data['email'])[:40]}", limit=limit, window_seconds=86400)
    network_ok = email_ok and hit(
        network_key(request), limit=settings.ACTIONS_PER_NETWORK_PER_HOUR, window_seconds=3600
    )
    if not email_ok:
        form.add_error(
            "email",
            _(
                "This email address has sent %(limit)d letters today, the most we accept "
                "from one address in a day. Please try again tomorrow."
            )
            % {"limit": limit},
        )
        return []
    return [] if network_ok else ["many letters from one network"]


def _accept(request: HttpRequest, campaign: Campaign, form: ActionForm) -> HttpResponse:
    data = form.cleaned_data
    known = frozenset(remembered_addresses(request))
    outcome = take_action(
        campaign=campaign,
        confirmed_addresses=known,
        screen=_screen(request, form),
        consent_text=form.consent_text,
        page_url=request.build_absolute_uri(campaign.get_absolute_url()),
        wants_updates=bool(data.get("wants_updates")),
        **{name: data[name] for name in ActionForm.ACTION_FIELDS},
    )
    action = outcome.action
    proven = (
        outcome.created
        or action.form_token == data["form_token"]
        or action.pk == request.session.get("action_id")
        or action.supporter.email_hash in known
    )
    if proven:
        request.session["action_id"] = action.pk
        request.session["repeat"] = not outcome.created and action.form_token != data["form_token"]
    else:
        # This browser has shown only that it knows the address: tell the address's owner,
        # and show the browser nothing of the earlier letter.
        tell_of_repeat(action)
        request.session["action_id"] = None
        request.session["repeat"] = True
    return redirect("actions:thanks", slug=campaign.slug)


def _source(request: HttpRequest) -> str:
    """Where the link came from (``?source=``), carried with the letter."""
    return request.GET.get("source", "")[:100]


def _initial_letter(
    request: HttpRequest, letter: LetterTemplate | None, suggested: str
) -> dict[str, str]:
    # The referrer and the form token are filled in by the browser (enhance.js): the page
    # itself must be the same for everyone.
    initial = {"source": _source(request), "form_token": ""}
    if letter is not None:
        initial.update(subject=letter.subject, body=suggested)
    return initial
