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
from urgentaction.core.ratelimit import hit


@dataclass(frozen=True)
class Screening:
    """What the checks found: whether the letter must wait for its writer to confirm it
    whatever the campaign and the browser, and why to hold it for review."""

    must_confirm: bool = False
    held_reasons: tuple[str, ...] = ()


def screen(letter: Letter, submission: Submission) -> Screening:
    """The proof of work, then the signs of a robot, then the rate limits. Raises Refused
    for a proof that fails, a network past its allowance of letters without one, or an
    address over its limit."""
    proof = _spend_proof(submission.proof)
    if proof is None and submission.stamp is not None:
        _limit_unproven(submission.network)
    held = form_reasons(
        honeypot=submission.honeypot,
        stamp=submission.stamp,
        started_at=proof.issued_at if proof else None,
    )
    return Screening(
        # Sent without a proof of work (no JavaScript, or a script posting the form): the
        # letter goes only once the address's owner confirms it.
        must_confirm=proof is None,
        held_reasons=(*held, *_apply_limits(letter, submission)),
    )


def _spend_proof(payload: str) -> pow.Proof | None:
    if not payload:
        return None
    try:
        return pow.check(payload)
    except pow.ProofRefused:
        raise Refused("altcha", str(REFUSED_PROOF)) from None


def _limit_unproven(network: str) -> None:
    """A letter without a proof of work costs its sender nothing, and has us email the
    address typed in (to confirm it, or to tell its owner of a repeat): a network gets a
    few an hour, shared with the other forms that email without a proof. (A letter
    through the API comes from a partner answerable by its key, limited by key.)"""
    key = f"unproven:{network}"
    if not hit(key, limit=settings.UNPROVEN_EMAILS_PER_NETWORK_PER_HOUR, window_seconds=3600):
        raise Refused("altcha", str(TOO_MANY_UNPROVEN))


def _apply_limits(letter: Letter, submission: Submission) -> list[str]:
    """Too many letters from one address are refused; too many from one network held."""
    limit = settings.ACTIONS_PER_EMAIL_PER_DAY
    if not hit(f"email:{letter.email_hash[:40]}", limit=limit, window_seconds=86400):
        raise Refused(
            "email",
            _(
                "This email address has sent %(limit)d letters today, the most we accept "
                "from one address in a day. Please try again tomorrow."
            )
            % {"limit": limit},
        )
    per_network = settings.ACTIONS_PER_NETWORK_PER_HOUR
    if hit(submission.network, limit=per_network, window_seconds=3600):
        return []
    return ["many letters from one network"]
