"""The sign-up form for updates (``/updates/``); the pages that follow from its email
(confirm, unsubscribe, preferences) are the supporters app's."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from urgentaction.core.forms import limit_unproven, prove
from urgentaction.core.ratelimit import hit
from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.signups import sign_up
from urgentaction.supporters.forms import SignupForm
from urgentaction.supporters.models import AccessLink


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
        language=get_language(),
    )


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "supporters/signup_sent.html")
