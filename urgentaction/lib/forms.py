import re

from django import forms

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]")


class SingleLineField(forms.CharField):
    """A one-line text field that refuses line breaks and control characters, which
    have no place in a name or an address line and could otherwise reach email headers."""

    def __init__(self, *, line_break_message: str, **kwargs) -> None:
        self.line_break_message = line_break_message
        super().__init__(**kwargs)

    def clean(self, value: str | None) -> str:
        value = super().clean(value)
        if LINE_BREAKS.search(value) or CONTROL_CHARACTERS.search(value):
            raise forms.ValidationError(self.line_break_message, code="line_break")
        return value


def text_input(autocomplete: str, *, spellcheck: bool = True, **attrs: str) -> forms.TextInput:
    attrs = {"autocomplete": autocomplete, **attrs}
    if not spellcheck:
        attrs["spellcheck"] = "false"
    return forms.TextInput(attrs=attrs)
