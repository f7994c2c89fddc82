"""Proofs of work for the benchmark's submits, made ahead: wrk cannot solve one, and each
can be spent only once.

``python benchmarks/proofs.py N FILE`` runs in a site's environment, where POW_COUNTER is
1 (``stack.site_env``) so that one takes about a millisecond to find: it writes N solved
challenges, issued a minute before, URL-encoded, one per line. They are made fresh just
before each run, so that none expires however long the runs. A site checks a
proof the same way and at the same cost whatever the counter: it verifies a signature
over the answer, and stores the proof as spent.
"""

import os
import sys
import time
import urllib.parse
from pathlib import Path

import stack

# Twice what any run here has reached (PostgreSQL passed 100 accepted submits a second
# per core in December 2026, and ran out of proofs).
SUBMITS_PER_SECOND_AT_MOST = 200 * (os.cpu_count() or 1)


# The network a challenge is issued for decides only how much work it asks (more for a
# network that has sent many letters): wrk cannot ask for its own, and this one is quiet.
NETWORK = "network:benchmark"


def solved() -> str:
    """One solved challenge, issued a minute ago, as the widget sends it (in a set-up
    Django process)."""
    import altcha

    from urgentaction.core import pow

    issued = pow.new_challenge(network=NETWORK, issued_at=time.time() - 60)
    challenge = altcha.Challenge.from_dict(issued)
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


def make(count: int, output: Path) -> None:
    import django

    django.setup()
    with output.open("w") as file:
        for _ in range(count):
            file.write(urllib.parse.quote(solved(), safe="") + "\n")


def for_run(env: dict[str, str], seconds: int, path: Path) -> Path:
    """More proofs than a wrk run of ``seconds`` can send, made in the environment of the
    site it runs against (``env``: its database says which networks are busy)."""
    return made(env, seconds * SUBMITS_PER_SECOND_AT_MOST + 64, path)


def made(env: dict[str, str], count: int, path: Path) -> Path:
    stack.script(env, "proofs.py", str(count), str(path))
    return path


if __name__ == "__main__":
    sys.path.insert(0, str(stack.ROOT))
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/proofs.py N FILE")
    make(int(sys.argv[1]), Path(sys.argv[2]))
