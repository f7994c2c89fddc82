from django import forms
from django.utils.translation import gettext_lazy as _

from urgentaction.core.forms import ProofOfWorkField
from urgentaction.lib.forms import SingleLineField, text_input
from urgentaction.supporters.models import ConsentText

_wordings: dict[int, ConsentText] = {}


def kept_wording(pk: int) -> ConsentText | None:
    """Wording ``pk``, kept by the process once read: wordings are never changed or
    deleted once saved (``ConsentTextAdmin``)."""
    wording = _wordings.get(pk)
    if wording is None:
        wording = ConsentText.objects.filter(pk=pk).first()
        if wording is not None:
            _wordings[pk] = wording
    return wording


def forget_wordings() -> None:
    """Drop the wordings this process keeps (between tests)."""
    _wordings.clear()


def shown_consent_text(version: str | None, *, newest: int | None = None) -> ConsentText | None:
    """The wording the form showed (its version comes back with the form), so that what
    is recorded is what the person read, even if staff changed it meanwhile; otherwise
    the newest, ``newest`` if the caller has read its id (read here otherwise)."""
    if version and str(version).isdigit():
        shown = kept_wording(int(version))
        if shown is not None:
            return shown
    if newest is None:
        return ConsentText.objects.current()
    return kept_wording(newest)


class EmailField(forms.EmailField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            label=_("Email address"),
            max_length=254,
            error_messages={
                "required": _("Enter your email address"),
                "invalid": _("Enter an email address in the correct format, like name@example.com"),
                "max_length": _("Your email address must be 254 characters or less"),
                "non_ascii": _(
                    "Enter an email address without accents or other special characters "
                    "before the @, like name@example.com"
                ),
            },
            widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            **kwargs,
        )

    def validate(self, value: str) -> None:
        """Django's own check calls an address with an accent before the @ badly formed
        (few mail servers take one), which leaves its owner puzzled: say what is wrong."""
        super().validate(value)
        if not value.rpartition("@")[0].isascii():
            raise forms.ValidationError(self.error_messages["non_ascii"], code="non_ascii")


class SignupForm(forms.Form):
    """Sign up for updates: the standalone form at /updates/."""

    first_name = SingleLineField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter your first name")},
        line_break_message=_("Enter your first name on one line"),
        control_message=_("Enter your first name without tabs or other hidden characters"),
        encoded_word_message=_("Enter your first name without the characters =? and ?="),
        widget=text_input("given-name", spellcheck=False),
    )
    last_name = SingleLineField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter your last name")},
        line_break_message=_("Enter your last name on one line"),
        control_message=_("Enter your last name without tabs or other hidden characters"),
        encoded_word_message=_("Enter your last name without the characters =? and ?="),
        widget=text_input("family-name", spellcheck=False),
    )
    email = EmailField()
    agree = forms.BooleanField(
        error_messages={"required": _("Tick the box to say you want updates")}
    )
    consent_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    altcha = ProofOfWorkField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.consent_text = shown_consent_text(self.data.get("consent_version"))
        if self.consent_text is not None:
            self.fields["agree"].label = self.consent_text.wording
            self.initial["consent_version"] = self.consent_text.pk


class AddressForm(forms.Form):
    """Only an email address: to ask for a link to one's data."""

    email = EmailField()
