"""Proofs of work as a browser's widget sends them, found by the altcha library's own
solver (the test settings make the work tiny)."""

import time

import altcha
from django.test import RequestFactory

from urgentaction.core import pow
from urgentaction.lib.client_ip import network_key


def solved_proof(*, asked_seconds_ago: float = 60) -> str:
    issued_at = time.time() - asked_seconds_ago
    # Asked for by the test client's network.
    network = network_key(RequestFactory().get("/"))
    return solved(pow.new_challenge(network=network, issued_at=issued_at))


def solved(challenge: dict) -> str:
    """The widget's answer to ``challenge``."""
    challenge = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(challenge)
    assert solution is not None
    return altcha.Payload(challenge, solution).to_base64()
