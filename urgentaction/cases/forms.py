from dataclasses import dataclass
from datetime import date

from django import forms
from django.conf import settings
from django.forms import BoundField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.utils import build_localized_fieldname

from urgentaction.campaigns.languages import languages
from urgentaction.campaigns.models import Campaign, OutcomeKind, Target
from urgentaction.cases.models import Answer
from urgentaction.cases.outcomes import case_pages
from urgentaction.cases.questionnaire import Given
from urgentaction.lib.languages import codes, translated_name


class OutcomeForm(forms.Form):
    """What became of a case: the kind, the date and the words, in each language any page
    of the case is shown in (a page in a language it lacks would disappear)."""

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
            # Every page of the case shows the outcome, in each language it is shown in.
            shown_in = {
                code
                for page in case_pages(campaign)
                for code in languages(
                    page, targets=list(page.targets.all()), letter=getattr(page, "letter", None)
                )
            }
            for code in [code for code in codes() if code in shown_in]:
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


REPLY_MAX_LENGTH = 20_000


@dataclass(frozen=True)
class Group:
    """The questions about one target, for the template."""

    target: Target
    kind: BoundField
    day: BoundField
    month: BoundField
    year: BoundField
    reply: BoundField

    @property
    def date_parts(self) -> list[BoundField]:
        return [self.day, self.month, self.year]

    @property
    def date_errors(self) -> list[str]:
        return self.day.errors


class QuestionnaireForm(forms.Form):
    """ "Did you get a reply?" about each target the letter reached: the answer, and, if
    one came, when (optional) and the reply itself (optional). A date or a reply given
    with an answer that says none came is not kept."""

    def __init__(self, *args, targets: list[Target], went_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        self.went_on = went_on
        for target in targets:
            name = target.display_name
            self.fields[f"kind_{target.pk}"] = forms.ChoiceField(
                label=_("Did you get a reply from %(name)s?") % {"name": name},
                choices=Answer.Kind.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Select whether you got a reply from %(name)s") % {"name": name}
                },
            )
            for part, label, width in (
                ("day", pgettext_lazy("part of a date", "Day"), 2),
                ("month", _("Month"), 2),
                ("year", _("Year"), 4),
            ):
                self.fields[f"{part}_{target.pk}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=width,
                    widget=forms.TextInput(
                        attrs={"inputmode": "numeric", "class": f"date-input__{part}"}
                    ),
                )
            self.fields[f"reply_{target.pk}"] = forms.CharField(
                label=_("Paste the reply (optional)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                max_length=REPLY_MAX_LENGTH,
                error_messages={"max_length": _("The reply must be 20,000 characters or less")},
            )

    def groups(self) -> list[Group]:
        parts = ("kind", "day", "month", "year", "reply")
        return [
            Group(target=target, **{part: self[f"{part}_{target.pk}"] for part in parts})
            for target in self.targets
        ]

    def clean(self):
        data = super().clean()
        for target in self.targets:
            data[f"replied_on_{target.pk}"] = self._replied_on(target, data)
        return data

    def _replied_on(self, target: Target, data: dict) -> date | None:
        parts = [data.get(f"{part}_{target.pk}", "").strip() for part in ("day", "month", "year")]
        if not any(parts):
            return None
        field = f"day_{target.pk}"
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1000:
                raise ValueError
            replied_on = date(year, month, day)
        except ValueError:
            self.add_error(
                field, _("Enter the date the reply came as a real date, for example 27 3 2026")
            )
            return None
        if replied_on > timezone.localdate():
            self.add_error(field, _("The date the reply came must be today or in the past"))
        elif replied_on < self.went_on:
            self.add_error(
                field,
                _("The date the reply came must be on or after %(date)s, when your letter went")
                % {"date": date_format(self.went_on)},
            )
        return replied_on

    def answers(self) -> list[Given]:
        data = self.cleaned_data
        return [
            Given(
                target=target,
                kind=data[f"kind_{target.pk}"],
                replied_on=data[f"replied_on_{target.pk}"],
                reply=data[f"reply_{target.pk}"],
            )
            for target in self.targets
        ]
