from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from urgentaction.actions.confirmation import remembered_addresses
from urgentaction.actions.forms import ActionForm
from urgentaction.actions.services import take_action, tell_of_repeat
from urgentaction.campaigns.models import Campaign
from urgentaction.mailings.updates import render_html


def home(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.live().most_urgent_first()
    return render(request, "campaigns/home.html", {"campaigns": campaigns})


# The form carries a one-time token: the page must never be shared from a cache.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    targets = list(campaign.targets.all())
    form = None
    if campaign.is_live and targets:
        if request.method == "POST":
            form = ActionForm(request.POST, campaign=campaign)
            if form.is_valid():
                return _accept(request, campaign, form)
        else:
            form = ActionForm(
                campaign=campaign, initial=_initial_letter(request, campaign, targets)
            )
    status = 200 if form is None or not form.errors else 400
    context = {
        "campaign": campaign,
        "targets": targets,
        "form": form,
        "updates": [(update, render_html(update)) for update in campaign.updates.published()],
    }
    return render(request, "campaigns/campaign.html", context, status=status)


def _accept(request: HttpRequest, campaign: Campaign, form: ActionForm) -> HttpResponse:
    data = form.cleaned_data
    known = frozenset(remembered_addresses(request))
    outcome = take_action(
        campaign=campaign,
        confirmed_addresses=known,
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


def _initial_letter(request: HttpRequest, campaign: Campaign, targets: list) -> dict[str, str]:
    letter = getattr(campaign, "letter", None)
    initial = {
        "source": request.GET.get("source", "")[:100],
        "referrer": request.META.get("HTTP_REFERER", "")[:500],
    }
    if letter is not None:
        initial.update(subject=letter.subject, body=letter.render_body(targets))
    return initial
