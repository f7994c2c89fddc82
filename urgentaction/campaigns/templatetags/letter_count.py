from django import template
from django.utils.safestring import SafeString, mark_safe

from urgentaction.campaigns import letter_count

register = template.Library()


@register.simple_tag(takes_context=True)
def letter_count_shown(context, name: str) -> SafeString:
    """The campaign's count as ``name`` shows it (``letter_count.SHOWN``); on a page that
    is stored without it (``count_later``), the mark where it is filled in when served."""
    if context.get("count_later"):
        return letter_count.mark(name)
    return mark_safe(letter_count.shown(name, context["campaign"]))  # noqa: S308
