"""The checks a new letter passes before it is stored, run in order inside the
transaction that stores it (so that the spent proof, and the counters unless they are in
Redis, are written with the letter, at one commit)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from urgentaction.actions.screening import form_reasons
from urgentaction.actions.submission import Letter, Refused, Submission
from urgentaction.core import pow
from urgentaction.core.forms import REFUSED_PROOF, TOO_MANY_UNPROVEN
from urgentaction.core.ratelimit import Counted, Hit, hits


@dataclass(frozen=True)
class Screening:
    """What the checks found: whether the letter must wait for its writer to confirm it
    whatever the campaign and the browser, and why to hold it for review."""

    must_confirm: bool = False
    held_reasons: tuple[str, ...] = ()


def screen(letter: Letter, submission: Submission, solved: pow.Verified | None) -> Screening:
    """The proof of work (``solved``: as ``verified_proof`` found it, before the
    transaction), then the signs of a robot, then the rate limits. Raises Refused for a
    proof that is spent or too easy, a network past its allowance of letters without
    one, or an address over its limit.

    The counters and the proof's use are all added to in one statement, before the proof
    is judged: a refusal rolls the transaction back, counts and all, as if nothing had
    come (but for the counters kept in Redis)."""
    unproven = solved is None and submission.stamp is not None
    email_key = f"email:{letter.email_hash[:40]}"
    unproven_key = f"unproven:{submission.network}"
    counted = hits(
        Hit(email_key, window_seconds=86400),
        Hit(submission.network, window_seconds=3600),
        *([Hit(unproven_key, window_seconds=3600)] if unproven else []),
        once=None if solved is None else pow.use_of(solved),
    )
    proof = None if solved is None else _spend(solved, counted)
    if unproven and not counted[unproven_key].within(settings.UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR):
        # A letter without a proof of work costs its sender nothing, and has us email the
        # address typed in (to confirm it, or to tell its owner of a repeat): a network
        # gets a few an hour, shared with the other forms that email without a proof. (A
        # letter through the API comes from a partner answerable by its key, limited by key.)
        raise Refused("altcha", str(TOO_MANY_UNPROVEN))
    held = form_reasons(
        honeypot=submission.honeypot,
        stamp=submission.stamp,
        started_at=proof.issued_at if proof else None,
    )
    limit = settings.ACTIONS_PER_EMAIL_PER_DAY
    if not counted[email_key].within(limit):
        raise Refused(
            "email",
            _(
                "This email address has sent %(limit)d letters today, the most we accept "
                "from one address in a day. Please try again tomorrow."
            )
            % {"limit": limit},
        )
    if not counted[submission.network].within(settings.ACTIONS_PER_NETWORK_PER_HOUR):
        # Too many letters from one network are held, not refused.
        held.append("many letters from one network")
    return Screening(
        # Sent without a proof of work (no JavaScript, or a script posting the form): the
        # letter goes only once the address's owner confirms it.
        must_confirm=proof is None,
        held_reasons=tuple(held),
    )


def verified_proof(payload: str, *, network: str) -> pow.Verified | None:
    """The proof of work sent, checked before the transaction (None without one); Refused
    for one that is malformed, forged, wrong or expired, or too easy now for a network
    other than the submission's ``network`` that asked for its challenge (a phone that
    changed networks, say): that network's count is read here, outside the lock, while
    the submission's own is taken in the transaction (``_spend``)."""
    if not payload:
        return None
    try:
        solved = pow.verify(payload)
        if solved.network != network and _too_easy(solved, sent=None):
            raise pow.ProofRefused("too easy for a network now busy")
    except pow.ProofRefused:
        raise Refused("altcha", str(REFUSED_PROOF)) from None
    return solved


def _spend(solved: pow.Verified, counted: dict[str, Counted]) -> pow.Proof:
    """Spend a verified proof (its use is in ``counted``), unless it is too easy for the
    submission's network now, when that network asked for the challenge: judged from the
    network's count just taken (``verified_proof`` judged any other)."""
    its_network = counted.get(solved.network)
    try:
        if its_network is not None and _too_easy(solved, sent=its_network.before):
            raise pow.ProofRefused("too easy for a network now busy")
        return pow.spend(solved, counted)
    except pow.ProofRefused:
        raise Refused("altcha", str(REFUSED_PROOF)) from None


def _too_easy(solved: pow.Verified, *, sent: float | None) -> bool:
    return not solved.harder and pow.needs_more_work(solved.network, sent=sent)
