from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from pydantic import AwareDatetime

from urgentaction.api.access import campaign_or_404
from urgentaction.api.auth import ApiKeyAuth
from urgentaction.api.cursor import BadCursor, Position, make_cursor, read_cursor
from urgentaction.api.letters import submit_letter
from urgentaction.api.models import Scope
from urgentaction.api.pages import letters_page
from urgentaction.api.present import outreach_data
from urgentaction.api.problems import InvalidFields, documented
from urgentaction.api.schemas import LetterAccepted, LetterIn, OutreachPage
from urgentaction.campaigns.models import Campaign
from urgentaction.core.audit import record_for_key
from urgentaction.core.models import AuditEntry

router = Router(tags=["outreaches"])


@router.get(
    "/campaigns/{slug}/actions",
    response={200: OutreachPage, **documented(401, 403, 404, 422, 429)},
    exclude_unset=True,
)
def list_actions(
    request: HttpRequest,
    response: HttpResponse,
    slug: str,
    since: AwareDatetime | None = None,
    cursor: str | None = None,
    limit: int = Query(100, ge=1, le=500),
):
    """A campaign's letters in the order they last changed, a page at a time: follow
    ``next`` to the end, and next time start from ``since`` (the last ``modified_date``
    you saw): letters taken, confirmed, reviewed or erased since then. Scope: read; the
    letter and its writer also need personal, and each page that shows them is written
    to the audit log."""
    campaign = campaign_or_404(slug)
    key = request.auth
    personal = key.allows(Scope.PERSONAL)
    try:
        after = read_cursor(cursor, campaign_id=campaign.pk) if cursor else None
    except BadCursor as error:
        raise InvalidFields({"cursor": str(error)}) from None
    letters = list(
        letters_page(campaign, since=since, after=after, limit=limit + 1, personal=personal)
    )
    shown = letters[:limit]
    next_url = None
    if len(letters) > limit:
        last = Position(shown[-1].updated_at, shown[-1].pk)
        query = urlencode({"cursor": make_cursor(last, campaign_id=campaign.pk), "limit": limit})
        next_url = request.build_absolute_uri(f"{request.path}?{query}")
        response["Link"] = f'<{next_url}>; rel="next"'
    writers = [letter.pk for letter in shown if not letter.erased]
    if personal and writers:
        record_for_key(
            key_name=key.name,
            kind=AuditEntry.Kind.VIEW_LIST,
            subject=f"letters of campaign {campaign.pk}",
            detail=f"{len(writers)} letters with their writers, ids {writers[0]} to {writers[-1]}",
        )
    return {
        "outreaches": [outreach_data(letter, personal=personal) for letter in shown],
        "next": next_url,
    }


@router.post(
    "/campaigns/{slug}/actions",
    auth=ApiKeyAuth(Scope.WRITE),
    response={202: LetterAccepted, **documented(401, 403, 404, 409, 422, 429)},
)
def send_letter(request: HttpRequest, slug: str, letter: LetterIn):
    """A letter from a partner's form, in a supporter's name, checked as our own form
    checks it. It waits for its writer to confirm their address by email; ``status``
    says what happens next. Scope: write."""
    campaigns = Campaign.objects.select_related("letter").prefetch_related("targets")
    campaign = campaign_or_404(slug, campaigns=campaigns)
    status, detail = submit_letter(campaign=campaign, letter=letter, key=request.auth)
    return Status(202, {"status": status, "detail": detail})
