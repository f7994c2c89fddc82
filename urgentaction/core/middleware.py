"""Django's LocaleMiddleware, without a needless Vary."""

from django.http import HttpRequest, HttpResponse
from django.middleware import locale
from django.utils.cache import cc_delim_re, has_vary_header


class LocaleMiddleware(locale.LocaleMiddleware):
    """The language comes from the address (i18n_patterns, with no prefix for the default
    language: an address without one is always in the default language), so a page does
    not vary with Accept-Language, which Django's adds to every page without a prefix and
    which would split each cache of a page by its visitors' browser languages. A view whose
    answer does depend on it (the first visit to /) says so itself."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        said_by_view = has_vary_header(response, "Accept-Language")
        response = super().process_response(request, response)
        if not said_by_view and response.has_header("Vary"):
            kept = [
                field
                for field in cc_delim_re.split(response["Vary"])
                if field and field.lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
