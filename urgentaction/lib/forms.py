import re

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from urgentaction.lib import pow
from urgentaction.lib.client_ip import network_key
from urgentaction.lib.ratelimit import hit

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
LINE_BREAKS = re.compile(r"[\n\v\f\r\x85\u2028\u2029]")
# Every C0 and C1 control and DEL: mail apps break header lines at some (NEL, U+0085).
ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# An RFC 2047 encoded word: mail apps decode one in a name or a subject, into anything,
# line breaks and extra headers included.
ENCODED_WORD = re.compile(r"=\?.*\?=")
REFUSED_PROOF = _(
    "This form was open for too long, or was sent already. Check your details and send it again."
)
TOO_MANY_UNPROVEN = _(
    "This form has been sent too many times from your network in the last hour. Try again later."
)


class SingleLineField(forms.CharField):
    """A one-line text field that refuses line breaks, other control characters and
    encoded words, which have no place in a name or an address line and could otherwise
    reach email headers, or be read there as more headers. Each is refused with its own
    message, so that the person knows what to change."""

    def __init__(
        self,
        *,
        line_break_message: str,
        control_message: str,
        encoded_word_message: str,
        **kwargs,
    ) -> None:
        self.refusals = [
            (LINE_BREAKS, line_break_message, "line_break"),
            (ANY_CONTROL, control_message, "control"),
            (ENCODED_WORD, encoded_word_message, "encoded_word"),
        ]
        super().__init__(**kwargs)

    def clean(self, value: str | None) -> str:
        value = super().clean(value)
        for pattern, message, code in self.refusals:
            if pattern.search(value):
                raise forms.ValidationError(message, code=code)
        return value


def text_input(autocomplete: str, *, spellcheck: bool = True, **attrs: str) -> forms.TextInput:
    attrs = {"autocomplete": autocomplete, **attrs}
    if not spellcheck:
        attrs["spellcheck"] = "false"
    return forms.TextInput(attrs=attrs)


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
