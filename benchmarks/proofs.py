"""Proofs of work for the benchmark's submits, made ahead: wrk cannot solve one, and each
can be spent only once.

``python benchmarks/proofs.py N FILE RUN`` runs in a site's environment, where
POW_COUNTER is 1 (``stack.site_env``) so that one takes about a millisecond to find: it
writes N lines, each a client's address and a challenge solved for it, issued a minute
before, URL-encoded. Each address is a network of its own, different in every line and
every RUN (a number), and the challenge was asked for from that network, as the widget
asks for it from the browser that then sends the form. They are made fresh just before
each run, so that none expires however long the runs. A site checks a proof the same way
and at the same cost whatever the counter: it verifies a signature over the answer, and
stores the proof as spent.
"""

import ipaddress
import os
import sys
import time
import urllib.parse
from pathlib import Path

import stack

# Twice what any run here has reached (PostgreSQL passed 100 accepted submits a second
# per core in December 2026, and ran out of proofs).
SUBMITS_PER_SECOND_AT_MOST = 200 * (os.cpu_count() or 1)


def address(run: int, line: int) -> str:
    """The client address of a run's line: each its own network (an IPv4 address counts
    as one), in 11.0.0.0/8, apart from the other loads' (load.py)."""
    return str(ipaddress.IPv4Address((11 << 24) + (run % 256 << 16) + line % (1 << 16)))


def solved(address: str) -> str:
    """One solved challenge, asked for from ``address`` a minute ago, as the widget sends
    it (in a set-up Django process)."""
    import altcha

    from urgentaction.core import pow
    from urgentaction.lib.client_ip import key_of, network_of

    issued = pow.new_challenge(network=key_of(network_of(address)), issued_at=time.time() - 60)
    challenge = altcha.Challenge.from_dict(issued)
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


def make(count: int, output: Path, run: int) -> None:
    import django

    django.setup()
    with output.open("w") as file:
        for line in range(count):
            client = address(run, line)
            file.write(f"{client} {urllib.parse.quote(solved(client), safe='')}\n")


def read(path: Path) -> list[tuple[str, str]]:
    """A file's lines: (address, proof)."""
    return [tuple(line.split()) for line in path.read_text().splitlines()]


def for_run(env: dict[str, str], seconds: int, path: Path, run: int) -> Path:
    """More proofs than a wrk run of ``seconds`` can send, made in the environment of the
    site it runs against (``env``: its database says which networks are busy)."""
    return made(env, seconds * SUBMITS_PER_SECOND_AT_MOST + 64, path, run)


def made(env: dict[str, str], count: int, path: Path, run: int) -> Path:
    stack.script(env, "proofs.py", str(count), str(path), str(run))
    return path


if __name__ == "__main__":
    sys.path.insert(0, str(stack.ROOT))
    if len(sys.argv) != 4:
        sys.exit("usage: python benchmarks/proofs.py N FILE RUN")
    make(int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
