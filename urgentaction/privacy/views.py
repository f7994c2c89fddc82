"""/my-data/: a person sees, downloads or erases everything held about them, from a
link sent to their inbox."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from urgentaction.lib.forms import limit_unproven
from urgentaction.mailings.emails import queue_email
from urgentaction.privacy.rights import erase_supporter, export_data
from urgentaction.supporters.consent import find_link, new_link
from urgentaction.supporters.forms import AddressForm
from urgentaction.supporters.models import AccessLink, Supporter

MY_DATA_LINK_DAYS = 1


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def my_data_request(request: HttpRequest) -> HttpResponse:
    """Ask for a link to one's data. The answer is the same whether or not we hold
    anything for the address: only its owner's inbox learns that."""
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Without a proof of work: only so many from one network.
        limit_unproven(request, form, field="email")
    if request.method == "POST" and form.is_valid():
        supporter = (
            Supporter.objects.with_email(form.cleaned_data["email"]).exclude(email="").first()
        )
        if supporter is not None:
            token = new_link(
                purpose=AccessLink.Purpose.MY_DATA, supporter=supporter, days=MY_DATA_LINK_DAYS
            )
            url = settings.SITE_URL + reverse("privacy:my_data", kwargs={"token": token})
            queue_email(
                to=supporter.email,
                template="my_data_link",
                context={"supporter": supporter, "url": url},
            )
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
