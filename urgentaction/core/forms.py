"""The public forms' defences that keep state in the database: the proof of work and the
per-network allowance of forms sent without one."""

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from urgentaction.core import pow
from urgentaction.core.ratelimit import hit
from urgentaction.lib.client_ip import network_key

REFUSED_PROOF = _(
    "This form was open for too long, or was sent already. Check your details and send it again."
)
TOO_MANY_UNPROVEN = _(
    "This form has been sent too many times from your network in the last hour. Try again later."
)


class ProofOfWorkField(forms.CharField):
    """The proof-of-work widget's answer. The widget writes its own hidden input, so the
    field is never rendered; its errors link to the form's send button (``id="send"``)."""

    def __init__(self) -> None:
        super().__init__(
            required=False,
            max_length=4000,
            error_messages={"max_length": REFUSED_PROOF},
            widget=forms.HiddenInput(attrs={"id": "send"}),
        )


def prove(form: forms.Form) -> pow.Proof | None:
    """Check a valid form's proof of work. None when it came without one (the browser ran
    no JavaScript); a refused proof becomes an error on the form, which keeps everything
    typed, and the page that shows it brings a new challenge."""
    payload = form.cleaned_data.get("altcha")
    if not payload:
        return None
    try:
        return pow.check(payload)
    except pow.ProofRefused:
        form.add_error("altcha", REFUSED_PROOF)
        return None


def limit_unproven(request: HttpRequest, form: forms.Form, *, field: str = "altcha") -> None:
    """Count a valid form that will have us email the address typed in without a proof of
    work (so at no cost to its sender) against its network's hourly allowance. Past it,
    the form is refused with an error on ``field``, which keeps everything typed."""
    key = f"unproven:{network_key(request)}"
    if not hit(key, limit=settings.UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR, window_seconds=3600):
        form.add_error(field, TOO_MANY_UNPROVEN)
