from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from urgentaction.api.access import person_with_email
from urgentaction.api.auth import ApiKeyAuth
from urgentaction.api.models import Scope
from urgentaction.api.problems import documented
from urgentaction.core.audit import record_for_key
from urgentaction.core.models import AuditEntry
from urgentaction.privacy.rights import erase_supporter, export_json

router = Router(tags=["people"])

NOBODY = "a person (none held)"


@router.get(
    "/people",
    auth=ApiKeyAuth(Scope.PERSONAL),
    response={200: dict[str, Any], **documented(401, 403, 404, 422, 429)},
)
def get_person(request: HttpRequest, email: str):
    """Everything held about the person with this address: what they download from
    /my-data/. Scope: personal. Every look, found or not, is written to the audit log."""
    person = person_with_email(email)
    subject = NOBODY if person is None else f"supporter {person.pk}"
    record_for_key(key_name=request.auth.name, kind=AuditEntry.Kind.EXPORT, subject=subject)
    if person is None:
        raise Http404("Nothing is held about this address.")
    return export_json(person)


@router.delete(
    "/people",
    auth=ApiKeyAuth(Scope.PERSONAL, Scope.WRITE),
    response={204: None, **documented(401, 403, 422, 429)},
)
def erase_person(request: HttpRequest, email: str):
    """Erase the person with this address, as /my-data/ does. The answer is the same
    whether or not anything was held. Scopes: personal and write; audit-logged."""
    person = person_with_email(email)
    if person is not None:
        erase_supporter(person)
    subject = NOBODY if person is None else f"supporter {person.pk}"
    record_for_key(key_name=request.auth.name, kind=AuditEntry.Kind.DELETE, subject=subject)
    return Status(204, None)
