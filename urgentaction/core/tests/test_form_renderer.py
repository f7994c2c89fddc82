import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from urgentaction.lib.form_renderer import WRITTEN, Renderer


class Everything(forms.Form):
    text = forms.CharField(
        widget=forms.TextInput(
            attrs={"autocomplete": "given-name", "spellcheck": "false", "required": True}
        )
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"disabled": False, "size": 40}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    tick = forms.BooleanField(required=False)
    letter = forms.CharField(widget=forms.Textarea(attrs={"rows": 18, "lang": "ko"}))
    empty = forms.CharField(required=False, widget=forms.Textarea)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": 'Ada "<b>" & Co',
            "email": "a@example.org",
            "hidden": "x' y",
            "tick": "on",
            "letter": "Dear Minister,\n<script>alert(1)</script>",
            "empty": "",
        },
        {"text": mark_safe("<i>safe</i>"), "letter": "\nA line after a blank one"},
    ],
)
def test_it_writes_what_django_s_templates_write(data):
    written, templated = Everything(data), Everything(data)
    written.renderer, templated.renderer = Renderer(), DjangoTemplates()

    for name, field in Everything.base_fields.items():
        assert field.widget.template_name in WRITTEN
        assert str(written[name]) == str(templated[name]), name
