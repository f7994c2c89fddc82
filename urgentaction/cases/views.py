from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urgentaction.cases.links import read_stop_token
from urgentaction.cases.notices import stop_notices


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
