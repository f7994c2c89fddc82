"""Signs that a submission may not be a person writing their own letter. Any of them
holds the letter for review; none of them drops it."""

import time

from django.conf import settings
from django.core import signing

from urgentaction.actions.models import BlockedDomain, BlockedWord

STAMP_SALT = "urgentaction.actions.rendered"


def form_stamp() -> str:
    """When the form was rendered, signed so it cannot be forged."""
    return signing.dumps(time.time(), salt=STAMP_SALT)


def form_reasons(*, honeypot: str, stamp: str | None, started_at: float | None) -> list[str]:
    """``started_at`` is when this visitor's browser asked for its proof-of-work
    challenge; without one (no JavaScript) the signed render time in the page stands in,
    though a cached page dates from its caching, not the visit. A ``stamp`` of None means
    no page of ours was shown (a partner's form, through the API): there is nothing to
    time, and such a letter waits for its writer's confirmation instead."""
    reasons = []
    if honeypot:
        reasons.append("honeypot")
    if started_at is None and stamp is not None:
        try:
            started_at = signing.loads(stamp, salt=STAMP_SALT)
        except signing.BadSignature:
            reasons.append("no valid form timestamp")
    # A person needs longer than this to read the page and fill in the form.
    if started_at is not None and time.time() - started_at < settings.FORM_MIN_SECONDS:
        reasons.append("sent too fast")
    return reasons


def content_reasons(*, email: str, subject: str, body: str) -> list[str]:
    reasons = []
    domain = email.rpartition("@")[2].lower()
    if BlockedDomain.objects.filter(domain__iexact=domain).exists():
        # Not the domain itself: it would outlive the address when its owner erases it.
        reasons.append("blocked email domain")
    text = f"{subject}\n{body}".casefold()
    for phrase in BlockedWord.objects.values_list("phrase", flat=True):
        if phrase.casefold() in text:
            reasons.append(f"blocked word: {phrase}")
    return reasons
