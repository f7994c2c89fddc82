import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urgentaction.actions.screening import form_stamp
from urgentaction.campaigns.models import Campaign, Channel
from urgentaction.core.forms import ProofOfWorkField
from urgentaction.lib.forms import (
    CONTROL_CHARACTERS,
    SingleLineField,
    copied_per_form,
    text_input,
)
from urgentaction.lib.sources import clean_tag
from urgentaction.supporters.forms import EmailField, shown_consent_text


class LetterField(forms.CharField):
    """The letter body: line endings normalised to ``\\n`` so that its length is counted
    the same way here as in the browser's character count."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        # A hard maxlength would cut off pasted text; the limit is shown and checked instead.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def to_python(self, value: str | None) -> str:
        value = super().to_python(value)
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return CONTROL_CHARACTERS.sub("", value.replace("\t", "    "))


# Changed for each form: the campaign's channels, the sign-up wording, and the language
# of the letter (actions/views/page.py).
@copied_per_form("channel", "wants_updates", "subject", "body")
class ActionForm(forms.Form):
    """What a supporter sends: the letter, then about them, then how to send it."""

    ACTION_FIELDS = (
        "subject",
        "body",
        "first_name",
        "last_name",
        "email",
        "address_line1",
        "address_line2",
        "town",
        "postcode",
        "country",
        "channel",
        "form_token",
        "source",
        "referrer",
    )

    subject = SingleLineField(
        label=_("Subject"),
        max_length=200,
        error_messages={
            "required": _("Enter a subject for your letter"),
            "max_length": _("The subject must be 200 characters or less"),
        },
        line_break_message=_("The subject must be on one line"),
        control_message=_("Enter a subject without tabs or other hidden characters"),
        encoded_word_message=_("Enter a subject without the characters =? and ?="),
    )
    body = LetterField(
        label=_("Letter"),
        strip=True,
        max_length=settings.LETTER_MAX_LENGTH,
        error_messages={
            "required": _("Enter your letter"),
            "max_length": _("Your letter must be 20,000 characters or less"),
        },
        widget=forms.Textarea(attrs={"rows": 18}),
    )
    first_name = SingleLineField(
        label=_("First name"),
        max_length=100,
        error_messages={
            "required": _("Enter your first name"),
            "max_length": _("First name must be 100 characters or less"),
        },
        line_break_message=_("Enter your first name on one line"),
        control_message=_("Enter your first name without tabs or other hidden characters"),
        encoded_word_message=_("Enter your first name without the characters =? and ?="),
        widget=text_input("given-name", spellcheck=False),
    )
    last_name = SingleLineField(
        label=_("Last name"),
        max_length=100,
        error_messages={
            "required": _("Enter your last name"),
            "max_length": _("Last name must be 100 characters or less"),
        },
        line_break_message=_("Enter your last name on one line"),
        control_message=_("Enter your last name without tabs or other hidden characters"),
        encoded_word_message=_("Enter your last name without the characters =? and ?="),
        widget=text_input("family-name", spellcheck=False),
    )
    email = EmailField()
    address_line1 = SingleLineField(
        label=_("Address line 1"),
        max_length=200,
        error_messages={
            "required": _("Enter the first line of your address"),
            "max_length": _("Address line 1 must be 200 characters or less"),
        },
        line_break_message=_("Enter one line of your address in each box"),
        control_message=_("Enter your address without tabs or other hidden characters"),
        encoded_word_message=_("Enter your address without the characters =? and ?="),
        widget=text_input("address-line1"),
    )
    address_line2 = SingleLineField(
        label=_("Address line 2 (optional)"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Address line 2 must be 200 characters or less")},
        line_break_message=_("Enter one line of your address in each box"),
        control_message=_("Enter your address without tabs or other hidden characters"),
        encoded_word_message=_("Enter your address without the characters =? and ?="),
        widget=text_input("address-line2"),
    )
    town = SingleLineField(
        label=_("Town or city"),
        max_length=100,
        error_messages={
            "required": _("Enter your town or city"),
            "max_length": _("Town or city must be 100 characters or less"),
        },
        line_break_message=_("Enter your town or city on one line"),
        control_message=_("Enter your town or city without tabs or other hidden characters"),
        encoded_word_message=_("Enter your town or city without the characters =? and ?="),
        widget=text_input("address-level2"),
    )
    postcode = SingleLineField(
        label=_("Postcode (optional)"),
        max_length=20,
        required=False,
        error_messages={"max_length": _("Postcode must be 20 characters or less")},
        line_break_message=_("Enter your postcode on one line"),
        control_message=_("Enter your postcode without tabs or other hidden characters"),
        encoded_word_message=_("Enter your postcode without the characters =? and ?="),
        widget=text_input("postal-code", spellcheck=False, **{"class": "input-short"}),
    )
    country = SingleLineField(
        label=_("Country"),
        max_length=100,
        error_messages={
            "required": _("Enter your country"),
            "max_length": _("Country must be 100 characters or less"),
        },
        line_break_message=_("Enter your country on one line"),
        control_message=_("Enter your country without tabs or other hidden characters"),
        encoded_word_message=_("Enter your country without the characters =? and ?="),
        widget=text_input("country-name"),
    )
    channel = forms.ChoiceField(
        label=_("How do you want to send your letter?"),
        choices=Channel.choices,
        error_messages={
            "required": _("Select how you want to send your letter"),
            "invalid_choice": _("Select how you want to send your letter"),
        },
        widget=forms.RadioSelect,
    )
    wants_updates = forms.BooleanField(required=False)
    initials_only = forms.BooleanField(
        required=False, label=_("Sign with my initials only"), widget=forms.CheckboxInput
    )
    consent_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Left empty by people (it is hidden from them); bots fill in every field they see.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    rendered = forms.CharField(required=False, widget=forms.HiddenInput)
    altcha = ProofOfWorkField()
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    referrer = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaign: Campaign, newest_consent: int | None = None, **kwargs):
        """``newest_consent``: the newest sign-up wording's id, if the caller has read it."""
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        offered = set(campaign.channels())
        self.fields["channel"].choices = [c for c in Channel.choices if c[0] in offered]
        self.consent_text = shown_consent_text(
            self.data.get("consent_version"), newest=newest_consent
        )
        if self.consent_text is None:
            del self.fields["wants_updates"]
        else:
            self.fields["wants_updates"].label = self.consent_text.wording
            self.initial["consent_version"] = self.consent_text.pk
        if not self.is_bound:
            self.initial.setdefault("country", gettext(settings.DEFAULT_COUNTRY))
            self.initial["rendered"] = form_stamp()

    def clean_form_token(self) -> uuid.UUID:
        """The token rendered with the form; a missing or mangled one gets a fresh value
        rather than an error the supporter could not fix."""
        try:
            return uuid.UUID(self.cleaned_data["form_token"])
        except ValueError:
            return uuid.uuid4()

    def clean_source(self) -> str:
        return clean_tag(self.cleaned_data["source"])

    def clean_referrer(self) -> str:
        return self.cleaned_data["referrer"][:500]
