from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urgentaction.supporters.consent import confirm_signup, record_consent, withdraw
from urgentaction.supporters.links import supporter_for_preferences, supporter_to_unsubscribe
from urgentaction.supporters.models import Consent, ConsentText


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing; POST confirms. Unknown, used and expired
    links all get the same page."""
    if request.method != "POST":
        return render(request, "supporters/confirm.html")
    consent = confirm_signup(token)
    template = "supporters/confirmed.html" if consent else "supporters/link_invalid.html"
    return render(request, template)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058: a mail client POSTs here, with no cookie, and the address is unsubscribed
    at once. A person following the link gets a page with one button. Any token, known or
    not, gets the same answers."""
    if request.method != "POST":
        return render(request, "supporters/unsubscribe.html")
    supporter = supporter_to_unsubscribe(token)
    if supporter is not None:
        withdraw(supporter, how="unsubscribe link")
    return render(request, "supporters/unsubscribed.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    supporter = supporter_for_preferences(token)
    if supporter is None:
        return render(request, "supporters/link_invalid.html")
    text = ConsentText.objects.current()
    if request.method == "POST":
        if request.POST.get("choice") == "subscribe" and text is not None:
            # The link came from this person's inbox: the address is proven.
            record_consent(
                supporter=supporter,
                text=text,
                method=Consent.Method.PREFERENCES,
                page_url=request.build_absolute_uri(),
                confirmed=True,
                language=get_language(),
            )
        else:
            withdraw(supporter, how="preference page")
        return redirect(request.path)
    subscribed = Consent.objects.active().filter(supporter=supporter).exists()
    context = {"supporter": supporter, "subscribed": subscribed, "consent_text": text}
    return render(request, "supporters/preferences.html", context)
