"""The position in a campaign's letters that a page ends at, as an opaque cursor. It is
signed, so that a client cannot make one up, and names its campaign, so that it cannot
be used on another; it holds nothing the client has not already been shown."""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing

SALT = "urgentaction.api.cursor"


@dataclass(frozen=True)
class Position:
    updated_at: datetime
    pk: int


class BadCursor(ValueError):
    pass


def make_cursor(position: Position, *, campaign_id: int) -> str:
    return signing.dumps([campaign_id, position.updated_at.isoformat(), position.pk], salt=SALT)


def read_cursor(cursor: str, *, campaign_id: int) -> Position:
    try:
        campaign, updated_at, pk = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadCursor("This cursor is not one this API gave out.") from None
    if campaign != campaign_id:
        raise BadCursor("This cursor belongs to another campaign's letters.")
    return Position(datetime.fromisoformat(updated_at), pk)
