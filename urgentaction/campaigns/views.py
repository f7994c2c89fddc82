from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from urgentaction.actions.forms import ActionForm
from urgentaction.actions.services import take_action
from urgentaction.campaigns.models import Campaign


def home(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.live().most_urgent_first()
    return render(request, "campaigns/home.html", {"campaigns": campaigns})


@require_http_methods(["GET", "HEAD", "POST"])
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    targets = list(campaign.targets.all())
    form = None
    if campaign.is_live:
        if request.method == "POST":
            form = ActionForm(request.POST, campaign=campaign)
            if form.is_valid():
                data = form.cleaned_data
                action = take_action(
                    campaign=campaign,
                    **{name: data[name] for name in ActionForm.base_fields},
                )
                request.session["action_id"] = action.pk
                return redirect("actions:thanks", slug=campaign.slug)
        else:
            form = ActionForm(
                campaign=campaign, initial=_initial_letter(request, campaign, targets)
            )
    status = 200 if form is None or not form.errors else 400
    context = {"campaign": campaign, "targets": targets, "form": form}
    return render(request, "campaigns/campaign.html", context, status=status)


def _initial_letter(request: HttpRequest, campaign: Campaign, targets: list) -> dict[str, str]:
    letter = getattr(campaign, "letter", None)
    initial = {
        "source": request.GET.get("source", "")[:100],
        "referrer": request.META.get("HTTP_REFERER", "")[:500],
    }
    if letter is not None:
        initial.update(subject=letter.subject, body=letter.render_body(targets))
    return initial
