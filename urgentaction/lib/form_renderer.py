"""Django's form renderer, with its commonest widgets written in Python. A letter form
has some twenty inputs, and each costs two small templates (the input and its
attributes), which Django's template engine makes into a fifth of the campaign page's
whole render. Each function below writes exactly what the template it stands for does;
every other widget (the admin's, selects, radios) is rendered by its template."""

from collections.abc import Callable

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, object]) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> SafeString:
    """django/forms/widgets/input.html, which text, email, hidden and checkbox include."""
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    # Every value in it is escaped above.
    return mark_safe(  # noqa: S308
        format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        + value
        + _attrs(widget["attrs"])
        + ">"
    )


def _textarea(widget: dict) -> SafeString:
    """django/forms/widgets/textarea.html"""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    # Every value in it is escaped above.
    return mark_safe(  # noqa: S308
        format_html('<textarea name="{}"', widget["name"])
        + _attrs(widget["attrs"])
        + ">\n"
        + value
        + "</textarea>"
    )


WRITTEN: dict[str, Callable[[dict], SafeString]] = {
    "django/forms/widgets/text.html": _input,
    "django/forms/widgets/email.html": _input,
    "django/forms/widgets/hidden.html": _input,
    "django/forms/widgets/checkbox.html": _input,
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/textarea.html": _textarea,
}


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        written = WRITTEN.get(template_name)
        if written is None:
            return super().render(template_name, context, request)
        return written(context["widget"])
