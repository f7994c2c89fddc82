from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urgentaction.core.forms import limit_unproven, prove
from urgentaction.core.ratelimit import hit
from urgentaction.lib.hashing import email_hash
from urgentaction.supporters.consent import (
    confirm_signup,
    record_consent,
    sign_up,
    withdraw,
)
from urgentaction.supporters.forms import SignupForm
from urgentaction.supporters.links import supporter_for_preferences, supporter_to_unsubscribe
from urgentaction.supporters.models import AccessLink, Consent, ConsentText


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and form.consent_text is not None:
        # A refused proof becomes the form's error; none at all still signs up, as every
        # sign-up is confirmed by email anyway, but only so often from one network.
        if prove(form) is None and form.is_valid():
            limit_unproven(request, form)
        if form.is_valid():
            _sign_up(request, form)
            return redirect("supporters:signup_sent")
    status = 400 if form.errors else 200
    return render(request, "supporters/signup.html", {"form": form}, status=status)


def _sign_up(request: HttpRequest, form: SignupForm) -> None:
    """Ask the address to confirm, however often it is typed in: not while a link sent
    lately waits in its inbox, and at most a few times a day (the page says the same
    either way)."""
    data = form.cleaned_data
    purpose = AccessLink.Purpose.CONFIRM_SIGNUP
    if AccessLink.objects.sent_lately(email=data["email"], purpose=purpose).exists():
        return
    key = f"signup:{email_hash(data['email'])[:40]}"
    if not hit(key, limit=settings.ACTIONS_PER_EMAIL_PER_DAY, window_seconds=86400):
        return
    sign_up(
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        text=form.consent_text,
        page_url=request.build_absolute_uri(),
    )


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "supporters/signup_sent.html")


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
            )
        else:
            withdraw(supporter, how="preference page")
        return redirect(request.path)
    subscribed = Consent.objects.active().filter(supporter=supporter).exists()
    context = {"supporter": supporter, "subscribed": subscribed, "consent_text": text}
    return render(request, "supporters/preferences.html", context)
