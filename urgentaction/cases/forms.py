from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from urgentaction.campaigns.languages import languages
from urgentaction.campaigns.models import Campaign, OutcomeKind
from urgentaction.lib.languages import codes, translated_name


class OutcomeForm(forms.Form):
    """What became of a case: the kind, the date and the words, in each language the
    case is shown in (its page in a language it lacks would disappear)."""

    campaign = forms.ModelChoiceField(
        label=_("Case"),
        queryset=Campaign.objects.public().filter(outcome_kind="").order_by("title"),
        help_text=_("Published campaigns whose outcome is not recorded yet."),
    )
    kind = forms.ChoiceField(
        label=_("What became of them"), choices=OutcomeKind.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(
        label=_("When"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day it happened, or the day you learnt of it."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code in codes():
            self.fields[self.text_field(code)] = forms.CharField(
                label=_("What happened, in %(language)s") % {"language": translated_name(code)},
                widget=forms.Textarea(attrs={"rows": 5, "lang": code}),
                required=code == settings.LANGUAGE_CODE,
                help_text=_(
                    "Shown on the case's pages and in the email to everyone who wrote. "
                    "Needed in each language the case is shown in."
                ),
            )

    @staticmethod
    def text_field(code: str) -> str:
        return build_localized_fieldname("outcome", code)

    def text_fields(self) -> list[forms.BoundField]:
        return [self[self.text_field(code)] for code in codes()]

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("Enter a date that is today or before."))
        return on

    def clean(self):
        data = super().clean()
        campaign = data.get("campaign")
        if campaign is not None:
            shown_in = languages(
                campaign,
                targets=list(campaign.targets.all()),
                letter=getattr(campaign, "letter", None),
            )
            for code in shown_in:
                name = self.text_field(code)
                if name in data and not data[name].strip():
                    self.add_error(
                        name,
                        _("The case is shown in %(language)s: say what happened in it too.")
                        % {"language": translated_name(code)},
                    )
        return data

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data[self.text_field(code)].strip() for code in codes()}
