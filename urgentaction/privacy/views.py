"""/my-data/: a person sees, downloads or erases everything held about them, from a
link sent to their inbox."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from urgentaction.lib.forms import limit_unproven
from urgentaction.privacy.models import MyDataRequest
from urgentaction.privacy.rights import erase_supporter, export_data
from urgentaction.supporters.consent import find_link
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
            MyDataRequest.objects.create(email=form.cleaned_data["email"])
            return redirect("privacy:my_data_sent")
    status = 400 if form.errors else 200
    return render(request, "privacy/my_data_request.html", {"form": form}, status=status)


def my_data_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data_sent.html")


@never_cache
def my_data(request: HttpRequest, token: str) -> HttpResponse:
    link = find_link(token, AccessLink.Purpose.MY_DATA)
    if link is None:
        return render(request, "supporters/link_invalid.html")
    data = export_data(link.supporter)
    return render(request, "privacy/my_data.html", {"data": data, "token": token})


@never_cache
def my_data_json(request: HttpRequest, token: str) -> HttpResponse:
    link = find_link(token, AccessLink.Purpose.MY_DATA)
    if link is None:
        return render(request, "supporters/link_invalid.html")
    response = JsonResponse(export_data(link.supporter), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@require_http_methods(["POST"])
def my_data_erase(request: HttpRequest, token: str) -> HttpResponse:
    link = find_link(token, AccessLink.Purpose.MY_DATA)
    if link is None:
        return render(request, "supporters/link_invalid.html")
    erase_supporter(link.supporter)
    return render(request, "privacy/erased.html")
