import copy
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.origin import web_origin

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
LINE_BREAKS = re.compile(r"[\n\v\f\r\x85\u2028\u2029]")
# Every C0 and C1 control and DEL: mail apps break header lines at some (NEL, U+0085).
ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# An RFC 2047 encoded word: mail apps decode one in a name or a subject, into anything,
# line breaks and extra headers included.
ENCODED_WORD = re.compile(r"=\?.*\?=")


class _CopiedInPart(dict):
    """A form class's fields, which Django deep-copies for every form it makes: here only
    those named in ``own`` are copied; each form shares the others."""

    def __init__(self, fields: dict[str, forms.Field], own: frozenset[str]) -> None:
        super().__init__(fields)
        self.own = own

    def __deepcopy__(self, memo: dict) -> dict[str, forms.Field]:
        return {
            name: copy.deepcopy(field, memo) if name in self.own else field
            for name, field in self.items()
        }


def copied_per_form(*names: str):
    """A decorator for a form class of which each form gets its own copy of the fields
    ``names`` only, and shares the others with every form of the class (Django copies a
    form's every field, with its widget, error messages and validators, for each form it
    makes: for a public form of twenty fields, a good part of a POST). ``names`` must be
    all the fields that a form or its view changes (their label, choices or widget's
    attributes); a field it leaves out must never be changed."""

    def decorate(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
        unknown = set(names) - set(form_class.base_fields)
        if unknown:
            raise ValueError(f"{form_class.__name__} has no field {', '.join(sorted(unknown))}")
        form_class.base_fields = _CopiedInPart(form_class.base_fields, frozenset(names))
        return form_class

    return decorate


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


class OriginsField(forms.CharField):
    """Web origins typed one on each line, kept as a list, each as browsers write it."""

    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"})

    def prepare_value(self, value: object) -> str:
        return "\n".join(value) if isinstance(value, list) else str(value or "")

    def to_python(self, value: str | None) -> list[str]:
        origins = []
        for line in (value or "").splitlines():
            if not line.strip():
                continue
            try:
                origin = web_origin(line)
            except ValueError:
                raise ValidationError(
                    _(
                        "“%(line)s” is not a site's address: write each like "
                        "https://partner.example.org, with nothing after the name."
                    ),
                    params={"line": line.strip()},
                ) from None
            if origin not in origins:
                origins.append(origin)
        return origins
