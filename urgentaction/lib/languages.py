"""The site's languages (settings.LANGUAGES) and how other codes map onto them."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_info
from modeltranslation.utils import build_localized_fieldname


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def site_language(code: str) -> str | None:
    """The site's language for ``code`` (``en`` and ``en-GB`` are ``en-gb``; ``ko-KR`` is
    ``ko``), or None when the site has none for it."""
    code = code.strip().lower().replace("_", "-")
    known = codes()
    if code in known:
        return code
    primary = code.split("-")[0]
    return next((c for c in known if c.split("-")[0] == primary), None)


def local_name(code: str) -> str:
    """The language's name in itself ("English" for en-gb, "한국어"): how a switcher offers
    it."""
    try:
        return get_language_info(code.split("-")[0])["name_local"]
    except KeyError:
        return code


def translated_name(code: str) -> str:
    """The language's name in the language active, for a sentence ("reads English",
    "영어로 읽습니다"): of the language alone, "English" for en-gb."""
    try:
        return get_language_info(code.split("-")[0])["name_translated"]
    except KeyError:
        return code


def first_visit_language(request: HttpRequest) -> str | None:
    """On a visit that did not come from one of the site's own pages (a link from
    elsewhere, a typed address), the language the browser asks for (Accept-Language)
    when the site has it; None on a visit from one of its pages, where a choice made
    with the language switcher must stand."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return None
    return translation.get_language_from_request(request)


def side_by_side(field: str) -> tuple[str, ...]:
    """A translated field's column in each language (django-modeltranslation's names), as
    one row of an admin form: staff write each translation beside the original."""
    return tuple(build_localized_fieldname(field, code) for code in codes())
