"""Signs that a submission may not be a person writing their own letter. Any of them
holds the letter for review; none of them drops it."""

import time
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Blocklist:
    """The staff's blocked words (as typed) and email domains (in lower case)."""

    words: tuple[str, ...]
    domains: frozenset[str]

    @classmethod
    def read(cls) -> "Blocklist":
        return cls(
            words=tuple(BlockedWord.objects.values_list("phrase", flat=True)),
            domains=frozenset(
                domain.lower() for domain in BlockedDomain.objects.values_list("domain", flat=True)
            ),
        )


def content_reasons(*, email: str, subject: str, body: str, blocklist: Blocklist) -> list[str]:
    reasons = []
    if email.rpartition("@")[2].lower() in blocklist.domains:
        # Not the domain itself: it would outlive the address when its owner erases it.
        reasons.append("blocked email domain")
    text = f"{subject}\n{body}".casefold()
    for phrase in blocklist.words:
        if phrase.casefold() in text:
            reasons.append(f"blocked word: {phrase}")
    return reasons
