"""Proof of work in the ALTCHA protocol, issued and checked here: no third party sees
the visitor. A browser spends a few seconds of computing on each form it sends, which
costs a person nothing and a flood a great deal.

Challenges are signed (nothing is stored when one is issued), expire after
``POW_EXPIRY_SECONDS``, and a solved one is spent: its one use is counted (a rate
counter of its own, ``ratelimit.Use``, in the transaction of whatever it let through, in
the statement that counts that submission's hits) until it expires, so it cannot be sent
twice.

A busy network must do more work. That is decided again when a proof comes back, for the
network that asked for its challenge (named in it, as a keyed hash): easy challenges
gathered while it was quiet are refused once it is busy."""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import altcha
from django.conf import settings
from django.utils.crypto import salted_hmac

from urgentaction.core.ratelimit import Counted, Use, current, hits

ALGORITHM = "PBKDF2/SHA-256"


@dataclass(frozen=True)
class Proof:
    # When the browser asked for its challenge: the visitor was on the page by then.
    issued_at: float


@dataclass(frozen=True)
class Verified:
    """A solved challenge whose signature and answer hold, not yet spent."""

    signature: str
    expires_at: datetime
    issued_at: float
    # The network that asked for the challenge, and whether it was given the harder work.
    network: str
    harder: bool


class ProofRefused(Exception):
    """A proof that is forged, wrong, expired or already spent."""


@cache
def _secrets() -> tuple[str, str]:
    return (
        salted_hmac("urgentaction.pow", "challenge").hexdigest(),
        salted_hmac("urgentaction.pow", "derived-key").hexdigest(),
    )


def needs_more_work(network: str, *, sent: float | None = None) -> bool:
    """A network (``client_ip.network_key``) that has sent half its hourly allowance of
    letters gets more work before its letters are held. ``sent``: its letters in the last
    hour, when the caller has just counted them."""
    if sent is None:
        sent = current(network, window_seconds=3600)
    return sent >= settings.ACTIONS_PER_NETWORK_PER_HOUR // 2


def new_challenge(*, network: str, issued_at: float | None = None) -> dict:
    """A fresh challenge for the widget, for a client of ``network``, issued now unless
    ``issued_at`` says otherwise. In ALTCHA's deterministic mode the work is a counter
    drawn at random here, so more work simply draws from a larger range."""
    harder = needs_more_work(network)
    low = settings.POW_COUNTER * (settings.POW_HARDER_FACTOR if harder else 1)
    now = int(time.time() if issued_at is None else issued_at)
    challenge_secret, key_secret = _secrets()
    challenge = altcha.create_challenge(
        algorithm=ALGORITHM,
        cost=settings.POW_COST,
        counter=low + secrets.randbelow(low),
        expires_at=now + settings.POW_EXPIRY_SECONDS,
        data={"issued": now, "network": network, "harder": harder},
        hmac_secret=challenge_secret,
        hmac_key_secret=key_secret,
    )
    return challenge.to_dict()


def check(payload: str) -> Proof:
    """Verify a solved challenge and spend it, or raise ProofRefused."""
    solved = verify(payload)
    if not solved.harder and needs_more_work(solved.network):
        raise ProofRefused("too easy for a network now busy")
    return spend(solved)


def verify(payload: str) -> Verified:
    """A solved challenge, checked without the database: raise ProofRefused for one that
    is malformed, forged, wrong or expired. Whether it is too easy for its network now
    (``needs_more_work``) and spent (``spend``) is for the caller to settle."""
    try:
        solved = altcha.Payload.from_base64(payload)
    except (ValueError, KeyError, TypeError) as error:
        raise ProofRefused("malformed") from error
    challenge_secret, key_secret = _secrets()
    result = altcha.verify_solution(solved, challenge_secret, hmac_key_secret=key_secret)
    if result.expired:
        raise ProofRefused("expired")
    if not result.verified:
        raise ProofRefused("not verified")
    # Verified, so its parameters are the ones we signed.
    parameters = solved.challenge.parameters
    data = parameters.data
    return Verified(
        signature=solved.challenge.signature,
        expires_at=datetime.fromtimestamp(parameters.expires_at, tz=UTC),
        issued_at=float(data["issued"]),
        network=data.get("network", ""),
        harder=bool(data.get("harder")),
    )


def use_of(solved: Verified) -> Use:
    """The proof's one use, to count with the submission's hits (``ratelimit.hits``)."""
    return Use(
        key="proof:" + hashlib.sha256(solved.signature.encode()).hexdigest(),
        expires_at=solved.expires_at,
    )


def spend(solved: Verified, counted: dict[str, Counted] | None = None) -> Proof:
    """Spend the proof, or raise ProofRefused if it was spent before: its use as
    ``counted`` with the submission's hits, or counted here (one statement, no
    savepoint: the count says whether it was used before)."""
    use = use_of(solved)
    if counted is None:
        counted = hits(once=use)
    if counted[use.key].before:
        raise ProofRefused("already spent")
    return Proof(issued_at=solved.issued_at)
