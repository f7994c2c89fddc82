"""The page in each language: for the switcher and the hreflang alternates."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from urgentaction.lib.languages import codes, local_name

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in the language itself: a reader of it finds it in any page
    url: str
    current: bool
    default: bool


@register.simple_tag(takes_context=True)
def language_links(context, available=None) -> list[LanguageLink]:
    """This page's address in each language it exists in (``available``: those a page
    names, e.g. a campaign's translations; by default every language). The path only: a
    query string (a tracker's) is no part of the page, and cached pages are shared."""
    request = context["request"]
    current = get_language()
    return [
        LanguageLink(
            code=code,
            name=local_name(code),
            url=translate_url(request.path, code),
            current=code == current,
            default=code == settings.LANGUAGE_CODE,
        )
        for code in (available or codes())
    ]
