"""The action inside another site's page: ``/embed/actions/<slug>/``, the campaign's
letter and form without the site's header and footer, which ``static/ua/embed.js`` puts
in an iframe on the sites staff allowed for the campaign (``Campaign.embed_origins``, sent
as the pages' ``Content-Security-Policy: frame-ancestors``; none allowed, none may).

A page in another site's frame is third-party: browsers that block third-party cookies
(more of them every year) keep neither a session nor a CSRF cookie for it. So nothing
here sets or reads a cookie, and what the site's own pages keep in cookies (the
confirmed addresses, the thank-you page's state) travels signed instead, or is not used:

- The form carries a signed token naming its campaign and when it was made
  (``FORM_SECONDS``): a letter is taken only from a form of ours for that campaign,
  shown lately. It is the same for every visitor (the page is cached like the campaign
  page); what stands against forged letters is what stands on the campaign page: the
  browser's word on where a POST comes from (``lib/origin.py``), the proof of work, the
  rate limits, one letter per person and confirmation by email.
- The thank-you page finds the letter through a signed, expiring state in its address
  (``thanks_state``): the letter it names, and whether it was a repeat. The frame's
  address is shown to no one (the site's own page moves the state into a cookie).
- A browser's confirmed addresses (a cookie on the site itself) are not read: a letter
  sent from a frame is confirmed by email whenever the campaign asks for confirmation.

The submit path is the campaign page's (``views.send_letter``)."""

from urllib.parse import urlsplit

from csp.constants import NONE
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urgentaction.actions.forms import ActionForm
from urgentaction.actions.kept import for_submit
from urgentaction.actions.models import Action
from urgentaction.actions.services import report_sent
from urgentaction.actions.thanks_state import read_state, to_thanks
from urgentaction.actions.views import (
    as_now,
    page_campaigns,
    page_response,
    page_version,
    send_letter,
    shown_after,
    takes_letters,
    thanks_context,
)
from urgentaction.campaigns import letter_count
from urgentaction.campaigns.models import Campaign
from urgentaction.lib.origin import same_origin
from urgentaction.lib.public_pages import public_page
from urgentaction.lib.sources import source_tag

FORM_SALT = "urgentaction.actions.embed.form"
STATE_SALT = "urgentaction.actions.embed.thanks"
# How long a form shown in a frame takes letters: a long afternoon of writing.
FORM_SECONDS = 12 * 3600
FORM_EXPIRED = _("This form was open for too long. Check your details and send it again.")


@require_http_methods(["GET", "HEAD"])
def embed_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign's letter and form for a frame: cached like the campaign page, one
    copy for each site allowed to show it (its source tag)."""
    campaign = get_object_or_404(page_campaigns(), slug=slug)
    source = _source(request, campaign)
    response = public_page(
        request,
        version=page_version(campaign),
        last_modified=campaign.updated_at,
        build=lambda: page_response(
            request, campaign, layout=_layout(request, campaign), source=source, count_later=True
        ),
        variant=source,
        fresh=letter_count.fresh(campaign),
        shared_from=campaign,
    )
    return _framed(response, campaign)


# As the campaign page's, the form carries no per-visitor CSRF token, and in a frame it
# could not rely on a cookie anyway (see the module's docstring).
@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def embed_submit(request: HttpRequest, slug: str) -> HttpResponse:
    """A letter sent from the form in a frame: the campaign page's submit path, with what
    the process keeps for it (``kept.for_submit``), then the thank-you page with its
    state in the address."""
    kept = for_submit(slug)
    if kept is None:
        raise Http404
    campaign = kept.campaign
    layout = _layout(request, campaign)
    if not same_origin(request):
        return _framed(render(request, "campaigns/refused.html", layout, status=403), campaign)
    if not takes_letters(kept):
        return _framed(page_response(request, as_now(campaign), layout=layout), campaign)
    form = ActionForm(request.POST, campaign=campaign, newest_consent=kept.newest_consent)
    if not _fresh_form(request.POST.get("embed_token", ""), campaign):
        # Everything typed comes back, with a new token, and any other mistake too.
        form.is_valid()
        form.add_error("altcha", FORM_EXPIRED)
        outcome = None
    else:
        page_url = request.build_absolute_uri(_address(campaign))
        outcome = send_letter(request, kept, form, known=frozenset(), page_url=page_url)
    if outcome is None:
        return _framed(page_response(request, as_now(campaign), form=form, layout=layout), campaign)
    action_id, repeat = shown_after(outcome, form.cleaned_data["form_token"])
    return to_thanks("actions:embed_thanks", campaign, action_id, repeat, salt=STATE_SALT)


@never_cache
@require_http_methods(["GET", "HEAD"])
def embed_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """The thank-you page in the frame. The letter comes from the signed state in the
    address; without a valid one, the page thanks and shows no letter."""
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    state = request.GET.get("state", "")
    action_id, repeat = read_state(state, campaign, salt=STATE_SALT)
    context = thanks_context(request, campaign, action_id=action_id, repeat=repeat)
    context |= _layout(request, campaign)
    context |= {
        "sent_url": reverse("actions:embed_sent", kwargs={"slug": campaign.slug}),
        "thanks_state": state if action_id is not None else "",
        "frame_scroll": True,
    }
    return _framed(render(request, "actions/thanks.html", context), campaign)


@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def embed_sent(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Did you send it?" in the frame: the state names the letter, as on the site
    itself."""
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    if not same_origin(request):
        return _framed(
            render(request, "campaigns/refused.html", _layout(request, campaign), status=403),
            campaign,
        )
    action_id, repeat = read_state(request.POST.get("state", ""), campaign, salt=STATE_SALT)
    action = Action.objects.filter(pk=action_id, campaign=campaign).first()
    if action is not None:
        report_sent(action)
    return to_thanks("actions:embed_thanks", campaign, action_id, repeat, salt=STATE_SALT)


def _address(campaign: Campaign) -> str:
    return reverse("actions:embed", kwargs={"slug": campaign.slug})


def _layout(request: HttpRequest, campaign: Campaign) -> dict[str, object]:
    """What the pages of the letter's journey add when laid out for a frame."""
    return {
        "base_template": "actions/embed/base.html",
        "embedded": True,
        "frame_origins": campaign.embed_origins,
        "form_action": _address(campaign),
        "embed_token": signing.dumps(campaign.pk, salt=FORM_SALT),
    }


def _fresh_form(token: str, campaign: Campaign) -> bool:
    """Whether ``token`` is one this campaign's framed form was given, lately enough."""
    try:
        return signing.loads(token, salt=FORM_SALT, max_age=FORM_SECONDS) == campaign.pk
    except signing.BadSignature:
        return False


def _source(request: HttpRequest, campaign: Campaign) -> str:
    """``embed:<host>`` for the host of a site allowed to show the action, as embed.js
    says it in ``?source=``; plain ``embed`` for anything else, so that made-up tags
    neither reach the dashboards nor multiply the cached copies."""
    tag = source_tag(request.GET)
    kind, _colon, host = tag.partition(":")
    hosts = {urlsplit(origin).netloc for origin in campaign.embed_origins}
    return tag if kind == "embed" and host in hosts else "embed"


def _framed(response: HttpResponse, campaign: Campaign) -> HttpResponse:
    """Let the campaign's allowed sites, and only them, show ``response`` in a frame."""
    origins = list(campaign.embed_origins)
    response._csp_replace = {"frame-ancestors": origins or [NONE]}
    if origins:
        # Browsers follow frame-ancestors over X-Frame-Options; older ones would refuse.
        response.xframe_options_exempt = True
    return response
