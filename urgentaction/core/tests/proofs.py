"""Proofs of work as a browser's widget sends them, found by the altcha library's own
solver (the test settings make the work tiny)."""

import time

import altcha

from urgentaction.lib import pow


def solved_proof(*, asked_seconds_ago: float = 60) -> str:
    issued_at = time.time() - asked_seconds_ago
    challenge = altcha.Challenge.from_dict(pow.new_challenge(issued_at=issued_at))
    solution = altcha.solve_challenge(challenge)
    assert solution is not None
    return altcha.Payload(challenge, solution).to_base64()
