"""The public side of a case's life after the letters: "did you get a reply?" (at the
emailed link), how responsive each office is (``/targets/``), and the targets' published
responses, on their pages and the case's."""

from datetime import datetime

from django.conf import settings
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db.models import Exists, Max, OuterRef
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urgentaction.campaigns.models import Campaign, Target
from urgentaction.cases.documents import FOLDER
from urgentaction.cases.forms import QuestionnaireForm
from urgentaction.cases.links import read_stop_token
from urgentaction.cases.models import Answer, TargetResponse
from urgentaction.cases.notices import stop_notices
from urgentaction.cases.published import any_published, published_responses
from urgentaction.cases.questionnaire import (
    LINK_DAYS,
    question_for,
    record_answers,
    targets_asked_about,
)
from urgentaction.cases.responsiveness import MINIMUM, Figures, responsiveness
from urgentaction.core import staff_sessions
from urgentaction.lib.public_pages import is_anonymous, public_page


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: GET shows the questions and changes nothing (mail scanners open
    links); POST records the answers, once. A forged, expired or used link, or one whose
    writer erased their data, gets the same page."""
    questionnaire = question_for(token)
    if questionnaire is None:
        return _link_invalid(request)
    action = questionnaire.action
    went_on = timezone.localdate(questionnaire.letter_went_at)
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        targets=targets_asked_about(action),
        went_on=went_on,
    )
    if request.method == "POST" and form.is_valid():
        if not record_answers(questionnaire, form.answers()):
            return _link_invalid(request)
        return redirect("cases:answered")
    context = {
        "form": form,
        "action": action,
        "campaign": action.campaign,
        "went_on": went_on,
    }
    return render(request, "cases/answer.html", context, status=400 if form.errors else 200)


def _link_invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/link_invalid.html", {"link_days": LINK_DAYS})


def answered(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/answered.html")


@require_http_methods(["GET", "HEAD"])
def targets(request: HttpRequest) -> HttpResponse:
    figures = responsiveness()
    return public_page(
        request,
        version=_version(figures),
        last_modified=_last_modified(),
        build=lambda: render(
            request, "cases/targets.html", {"figures": figures, "minimum": MINIMUM}
        ),
    )


@require_http_methods(["GET", "HEAD"])
def target(request: HttpRequest, pk: int) -> HttpResponse:
    public = Campaign.objects.public().filter(targets=OuterRef("pk"))
    found = get_object_or_404(Target.objects.filter(Exists(public)), pk=pk)
    figures = responsiveness(found)
    responses = published_responses(target=found)
    campaigns = list(Campaign.objects.public().filter(targets=found).order_by("-published_at"))
    context = {
        "target": found,
        "figures": figures,
        "minimum": MINIMUM,
        "responses": responses,
        "campaigns": campaigns,
    }
    return public_page(
        request,
        version=repr(
            [
                _version(figures),
                (found.office, found.holder, found.organisation),
                [(r.kind, r.pk, r.changed, r.summary, r.text) for r in responses],
                [(c.pk, c.updated_at) for c in campaigns],
            ]
        ),
        last_modified=_last_modified(),
        build=lambda: render(request, "cases/target.html", context),
    )


def _version(figures: list[Figures]) -> str:
    """What the page shows of each tenure: a new figure is a new version."""
    return repr(
        [
            (
                *(f.tenure.pk, f.tenure.holder, f.tenure.until, f.tenure.target.office),
                *(f.delivered, f.self_sent, f.answers, f.counted, f.replied, f.dated, f.median),
            )
            for f in figures
        ]
    )


def _last_modified() -> datetime:
    latest = Answer.objects.aggregate(latest=Max("created_at"))["latest"]
    return latest or timezone.now()


def responses_section(request: HttpRequest, campaign: Campaign) -> str:
    """The case page's list of its published responses (settings.CAMPAIGN_PAGE_SECTIONS);
    publishing, changing or withdrawing one marks the campaign changed, so that its
    cached page is made again."""
    if not any_published(campaign):
        return ""
    responses = published_responses(campaign=campaign)
    context = {"responses": responses, "on_case_page": True}
    return render_to_string("cases/includes/responses.html", context, request=request)


@require_http_methods(["GET", "HEAD"])
def document(request: HttpRequest, name: str) -> FileResponse:
    """A response's PDF, as a download: a published response's to anyone, any other's
    only to staff who may see responses."""
    path = f"{FOLDER}/{name}"
    response = TargetResponse.objects.filter(document=path).only("published").first()
    if response is None or not (response.published or _may_see_responses(request)):
        raise Http404
    try:
        file = default_storage.open(path, "rb")
    except FileNotFoundError:
        raise Http404 from None
    served = FileResponse(
        file, content_type="application/pdf", as_attachment=True, filename="response.pdf"
    )
    if response.published:
        patch_cache_control(served, public=True, max_age=60)
    else:
        patch_cache_control(served, private=True, no_store=True)
    return served


def _may_see_responses(request: HttpRequest) -> bool:
    if is_anonymous(request) or not request.user.is_staff:
        return False
    return (
        admin.site.has_permission(request)
        and request.user.has_perm("cases.view_targetresponse")
        and staff_sessions.keep(request.session, request.user)
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def stop(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a case notice. GET names the case and shows one button, and changes
    nothing (mail scanners follow links); POST, from the button or a mail client's
    one-click unsubscribe (RFC 8058, with no cookie), stops the person's notices about
    the case. A forged, altered or expired link stops nothing."""
    found = read_stop_token(token)
    if found is None:
        context = {"contact_email": settings.CONTACT_EMAIL}
        return render(request, "cases/stop_invalid.html", context, status=404)
    context = {"case": found.case}
    if request.method != "POST":
        return render(request, "cases/stop.html", context)
    stop_notices(supporter=found.supporter, case=found.case)
    return render(request, "cases/stopped.html", context)
