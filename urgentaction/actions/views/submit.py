"""A letter sent from the campaign page's form: the path every letter form shares."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urgentaction.actions.confirmation import (
    remembered_addresses,
)
from urgentaction.actions.forms import ActionForm
from urgentaction.actions.kept import ForSubmit, for_submit, letter_campaigns
from urgentaction.actions.services import Outcome, take_action, tell_of_repeat
from urgentaction.actions.submission import Letter, Refused, Submission
from urgentaction.actions.thanks_state import to_thanks
from urgentaction.actions.views.page import page_response
from urgentaction.actions.views.thanks import THANKS_SALT
from urgentaction.campaigns.models import Campaign
from urgentaction.lib.client_ip import network_key
from urgentaction.lib.origin import same_origin


# The campaign page is the same for every visitor and any cache may keep it, so its form
# carries no per-visitor CSRF token: letters are guarded by the origin check, the proof
# of work, the limits, one letter per person and confirmation by email instead.
@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    """A letter sent from the campaign page's form (which posts to the page's address).
    The campaign, the sign-up wording and the blocklists are as this process keeps them
    (``kept``); a page sent back reads the campaign afresh, for its count."""
    kept = for_submit(slug)
    if kept is None:
        raise Http404
    campaign = kept.campaign
    if not same_origin(request):
        return render(request, "campaigns/refused.html", status=403)
    if not takes_letters(kept):
        return page_response(request, as_now(campaign))
    form = ActionForm(request.POST, campaign=campaign, newest_consent=kept.newest_consent)
    known = frozenset(remembered_addresses(request))
    page_url = request.build_absolute_uri(campaign.get_absolute_url())
    outcome = send_letter(request, kept, form, known=known, page_url=page_url)
    if outcome is None:
        return page_response(request, as_now(campaign), form=form)
    proven_before = outcome.action.supporter.email_hash in known
    action_id, repeat = shown_after(
        outcome, form.cleaned_data["form_token"], proven_before=proven_before
    )
    return to_thanks("actions:thanks", campaign, action_id, repeat, salt=THANKS_SALT)


def takes_letters(kept: ForSubmit) -> bool:
    """Live, with someone to write to, in this language: otherwise the page says why (a
    letter is not taken in a language the campaign is not shown in)."""
    campaign = kept.campaign
    return bool(campaign.is_live and campaign.targets.all()) and (
        get_language() in kept.letter_languages
    )


def as_now(campaign: Campaign) -> Campaign:
    """The campaign read afresh, for a page sent back: its count is not kept."""
    return letter_campaigns().get(pk=campaign.pk)


def send_letter(
    request: HttpRequest,
    kept: ForSubmit,
    form: ActionForm,
    *,
    known: frozenset[str],
    page_url: str,
) -> Outcome | None:
    """The submit path every letter form shares: the form checked, then the letter taken
    (``services.take_action``), with what the process keeps (``kept.for_submit``). None
    when it was not: ``form`` then holds why, to show with everything typed. ``known``:
    the addresses this browser has proved are its own."""
    if not form.is_valid():
        return None
    try:
        return take_action(
            kept=kept,
            letter=_letter(request, kept, form, page_url),
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
        return None


def _letter(request: HttpRequest, kept: ForSubmit, form: ActionForm, page_url: str) -> Letter:
    data = form.cleaned_data
    return Letter(
        campaign=kept.campaign,
        **{name: data[name] for name in ActionForm.ACTION_FIELDS},
        wants_updates=bool(data.get("wants_updates")),
        initials_only=data["initials_only"],
        consent_text=form.consent_text,
        page_url=page_url,
        language=get_language(),
        letter_language=kept.letter_languages[get_language()],
    )


def shown_after(
    outcome: Outcome, form_token: uuid.UUID, *, proven_before: bool = False
) -> tuple[int | None, bool]:
    """What the thank-you page may show the browser that sent a letter, as the letter's
    id (or None) and whether it is a repeat: its new letter, or the one it sent before if
    it proved it is theirs (the same form, or ``proven_before``: an address it
    confirmed); otherwise nothing, and the address's owner is told."""
    action = outcome.action
    if outcome.created or action.form_token == form_token or proven_before:
        return action.pk, not outcome.created and action.form_token != form_token
    tell_of_repeat(action)
    return None, True
