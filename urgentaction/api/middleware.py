from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from urgentaction.api.api import PREFIX
from urgentaction.api.problems import CONTENT_TYPE, problem

# Headers of an error that still hold for the problem that replaces it.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
DETAILS = {
    404: "Nothing is found at this address.",
    405: "This address does not take this method: Allow lists those it takes.",
    500: "Something went wrong on our side, and has been logged. Please try again later.",
}


def _as_problem(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    replacement = problem(status, DETAILS.get(status) or HTTPStatus(status).description)
    for header in KEPT_HEADERS:
        if header in response:
            replacement[header] = response[header]
    return replacement


def api_responses(get_response: Callable[[HttpRequest], HttpResponse]):
    """Under the API's address, an error the endpoints did not answer themselves (no
    such path, a method not allowed, a crash) is a problem too; and no answer is kept by
    a cache unless its endpoint says it may be (they hold personal data)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not request.path.startswith(PREFIX):
            return response
        # In development a crash keeps Django's own page, with its traceback.
        crash_page = settings.DEBUG and response.status_code >= 500
        answered = response.get("Content-Type") == CONTENT_TYPE
        if response.status_code >= 400 and not (answered or crash_page):
            response = _as_problem(response)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response

    return middleware
