"""Form widgets the staff side shares."""

import re

from django import forms

LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


class WrappingLine(forms.Textarea):
    """A line of text that may be longer than its box (a title, a summary, a subject):
    shown whole, wrapped over as many rows as it needs (staff.css), and read back as one
    line, so that no line break reaches a page's heading or an email's subject."""

    def __init__(self, attrs: dict | None = None, *, rows: int = 2) -> None:
        super().__init__({"rows": rows, "class": "vTextField wrapping-line", **(attrs or {})})

    def value_from_datadict(self, data, files, name: str):
        value = super().value_from_datadict(data, files, name)
        return LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value


class WrapsLongLines:
    """A ModelAdmin mixin: the fields named in ``wrapped`` (with their rows) show their
    whole text in a WrappingLine. With django-modeltranslation, each language's column
    takes the widget of the field it translates."""

    wrapped: dict[str, int] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.wrapped:
            kwargs["widget"] = WrappingLine(rows=self.wrapped[db_field.name])
        return super().formfield_for_dbfield(db_field, request, **kwargs)
