"""A visit to one's data: the emailed link is used up when its owner opens it, and starts
a short visit, kept in the browser's signed session, in which they can see, download and
erase their data. A link seen later in a mailbox or a log opens nothing."""

import time

from django.http import HttpRequest

from urgentaction.supporters.models import Supporter

VISIT_KEY = "my_data"
VISIT_MINUTES = 30


def start_visit(request: HttpRequest, supporter: Supporter) -> None:
    # The keyed hash ties the visit to the address: once it is erased (the hash changes)
    # or the record is reused, the visit shows nothing.
    request.session[VISIT_KEY] = {
        "supporter": supporter.pk,
        "hash": supporter.email_hash[:16],
        "until": int(time.time()) + VISIT_MINUTES * 60,
    }


def visitor(request: HttpRequest) -> Supporter | None:
    """Whose data this browser may see now; None once the visit is over."""
    visit = request.session.get(VISIT_KEY)
    if not isinstance(visit, dict) or visit.get("until", 0) < time.time():
        return None
    supporter = Supporter.objects.filter(pk=visit.get("supporter")).first()
    if supporter is None or not supporter.email or supporter.email_hash[:16] != visit["hash"]:
        return None
    return supporter


def end_visit(request: HttpRequest) -> None:
    request.session.pop(VISIT_KEY, None)
