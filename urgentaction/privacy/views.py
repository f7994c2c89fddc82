"""/my-data/: a person sees, downloads or erases everything held about them, from a
link sent to their inbox."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from urgentaction.core.forms import limit_unproven
from urgentaction.privacy.models import MyDataRequest
from urgentaction.privacy.rights import erase_supporter, erasure_summary, export_data, export_json
from urgentaction.privacy.visits import VISIT_MINUTES, end_visit, start_visit, visitor
from urgentaction.supporters.consent import find_link, use_link
from urgentaction.supporters.forms import AddressForm
from urgentaction.supporters.models import AccessLink


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def my_data_request(request: HttpRequest) -> HttpResponse:
    """Ask for a link to one's data. The answer is the same, and the same work, whether
    or not we hold anything for the address: only its owner's inbox learns that, from the
    worker (``my_data_link``)."""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Without a proof of work: only so many from one network.
        limit_unproven(request, form, field="email")
        if form.is_valid():
            MyDataRequest.objects.create(email=form.cleaned_data["email"], language=get_language())
            return redirect("privacy:my_data_sent")
    status = 400 if form.errors else 200
    return render(request, "privacy/my_data_request.html", {"form": form}, status=status)


def my_data_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data_sent.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def my_data_open(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link. Opening it shows a button and changes nothing (mail scanners
    open links); the button uses the link up and starts a short visit to the data."""
    if request.method != "POST":
        if find_link(token, AccessLink.Purpose.MY_DATA) is None:
            return _link_invalid(request)
        return render(request, "privacy/my_data_open.html", {"minutes": VISIT_MINUTES})
    link = use_link(token, AccessLink.Purpose.MY_DATA)
    if link is None:
        return _link_invalid(request)
    start_visit(request, link.supporter)
    return redirect("privacy:my_data")


@never_cache
def my_data(request: HttpRequest) -> HttpResponse:
    supporter = visitor(request)
    if supporter is None:
        return _visit_over(request)
    context = {"data": export_data(supporter), "minutes": VISIT_MINUTES}
    return render(request, "privacy/my_data.html", context)


@never_cache
def my_data_json(request: HttpRequest) -> HttpResponse:
    supporter = visitor(request)
    if supporter is None:
        return _visit_over(request)
    response = JsonResponse(export_json(supporter), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def my_data_erase(request: HttpRequest) -> HttpResponse:
    """A page that says what will go and what stays, and the one button that erases."""
    supporter = visitor(request)
    if supporter is None:
        return _visit_over(request)
    if request.method != "POST":
        context = {"summary": erasure_summary(supporter), "email": supporter.email}
        return render(request, "privacy/erase.html", context)
    erase_supporter(supporter)
    end_visit(request)
    return render(request, "privacy/erased.html")


@never_cache
@require_http_methods(["POST"])
def my_data_end(request: HttpRequest) -> HttpResponse:
    """Close the visit now (on a shared computer, say), rather than in half an hour."""
    end_visit(request)
    return redirect("privacy:my_data_request")


def _link_invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/link_invalid.html")


def _visit_over(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/visit_over.html", {"minutes": VISIT_MINUTES}, status=403)
