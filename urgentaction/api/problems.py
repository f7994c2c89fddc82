"""Every error the API answers is an RFC 9457 problem, as ``application/problem+json``:
``type``, ``title``, ``status`` and ``detail``. The type is ``about:blank`` (RFC 9457
section 4.2.1): the status says what kind of problem it is, and two extension members
say the rest: ``errors`` (which fields were wrong, and why) and ``required_scopes``."""

from http import HTTPStatus

from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

CONTENT_TYPE = "application/problem+json"
# RFC 9110's name, which Python's HTTPStatus gives only from 3.13.
TITLES = {422: "Unprocessable Content"}


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
    required_scopes: list[str] | None = None


def problem(status: int, detail: str, **extensions: object) -> JsonResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status) or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extensions,
    }
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


def documented(*statuses: int) -> dict[int, type[Problem]]:
    """The problems an endpoint may answer, for its entry in the OpenAPI schema."""
    return dict.fromkeys(statuses, Problem)


class MissingScope(Exception):
    def __init__(self, scopes: set[str]) -> None:
        super().__init__(scopes)
        self.scopes = sorted(scopes)


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class InvalidFields(Exception):
    """A request the API understood but cannot take: ``errors`` maps fields (named as in
    the request, e.g. ``person.given_name``) to messages for the person who typed them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> JsonResponse:
    response = problem(401, "Send a valid API key, as 'Authorization: Bearer <key>'.")
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _missing_scope(request: HttpRequest, exc: MissingScope) -> JsonResponse:
    detail = f"This key lacks the scope this needs: {', '.join(exc.scopes)}."
    return problem(403, detail, required_scopes=exc.scopes)


def _not_found(request: HttpRequest, exc: Http404) -> JsonResponse:
    return problem(404, str(exc) or "Nothing is found at this address.")


def _field_name(location: tuple | list) -> str:
    """ninja's error location, e.g. ("body", "letter", "person", "given_name"), as the
    field's path in the request: person.given_name."""
    where, *path = location
    if where == "body":
        path = path[1:]
    return ".".join(str(part) for part in path) or where


def _invalid_request(request: HttpRequest, exc: ValidationError) -> JsonResponse:
    errors = [{"field": _field_name(error["loc"]), "message": error["msg"]} for error in exc.errors]
    return problem(422, "Some fields are missing or not valid.", errors=errors)


def _invalid_fields(request: HttpRequest, exc: InvalidFields) -> JsonResponse:
    errors = [{"field": field, "message": message} for field, message in exc.errors.items()]
    return problem(422, "Some fields are missing or not valid.", errors=errors)


def _rate_limited(request: HttpRequest, exc: RateLimited) -> JsonResponse:
    response = problem(429, f"Too many requests with this key: try again in {exc.retry_after}s.")
    response["Retry-After"] = str(exc.retry_after)
    return response


def _http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
    return problem(exc.status_code, exc.message)


def install(api: NinjaAPI) -> None:
    handlers = {
        AuthenticationError: _unauthorized,
        MissingScope: _missing_scope,
        Http404: _not_found,
        ValidationError: _invalid_request,
        InvalidFields: _invalid_fields,
        RateLimited: _rate_limited,
        HttpError: _http_error,
    }
    for exception, handler in handlers.items():
        api.add_exception_handler(exception, handler)
