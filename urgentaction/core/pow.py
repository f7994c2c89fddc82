"""Proof of work in the ALTCHA protocol, issued and checked here: no third party sees
the visitor. A browser spends a few seconds of computing on each form it sends, which
costs a person nothing and a flood a great deal.

Challenges are signed (nothing is stored when one is issued), expire after
``POW_EXPIRY_SECONDS``, and a solved one is spent: it is stored (``SpentProof``, in the
transaction of whatever it let through) until it expires, so it cannot be sent twice.

A busy network must do more work. That is decided again when a proof comes back, for the
network that asked for its challenge (named in it, as a keyed hash): easy challenges
gathered while it was quiet are refused once it is busy."""

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import altcha
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

from urgentaction.core.models import SpentProof
from urgentaction.core.ratelimit import current

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


def spend(solved: Verified) -> Proof:
    """Store the proof as spent, in one statement (no savepoint: a conflict clause says
    whether it was spent before), or raise ProofRefused if it was."""
    table = connection.ops.quote_name(SpentProof._meta.db_table)
    signature, expires = (
        connection.ops.quote_name(SpentProof._meta.get_field(name).column)
        for name in ("signature", "expires_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({signature}, {expires}) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT ({signature}) DO NOTHING RETURNING 1",
            [solved.signature, connection.ops.adapt_datetimefield_value(solved.expires_at)],
        )
        if cursor.fetchone() is None:
            raise ProofRefused("already spent")
    return Proof(issued_at=solved.issued_at)


def forget_spent_proofs() -> int:
    """Spent proofs whose challenges have expired (they would be refused anyway)."""
    return SpentProof.objects.filter(expires_at__lt=timezone.now()).delete()[0]
