from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def widget(field: BoundField, *, hint: str = "", extra_describedby: str = "") -> SafeString:
    """Render a field's input linked to its hint and error message, as GOV.UK does."""
    describedby = [extra_describedby] if extra_describedby else []
    if hint:
        describedby.append(f"{field.auto_id}-hint")
    if field.errors:
        describedby.append(f"{field.auto_id}-error")
    attrs = {"aria-describedby": " ".join(describedby)} if describedby else {}
    return field.as_widget(attrs=attrs)


@register.simple_tag
def error_anchor(field: BoundField) -> str:
    """Where an error summary entry should take focus: the field, or a group's first option."""
    if getattr(field.field.widget, "input_type", None) == "radio":
        return f"{field.auto_id}_0"
    return field.id_for_label
