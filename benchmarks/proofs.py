"""Proofs of work for the benchmark's submits, made ahead: wrk cannot solve one, and each
can be spent only once.

``python benchmarks/proofs.py N FILE`` runs in a site's environment, where POW_COUNTER is
1 (``stack.site_env``) so that one takes about a millisecond to find: it writes N solved
challenges, issued a minute before, URL-encoded, one per line. A site checks a
proof the same way and at the same cost whatever the counter: it verifies a signature
over the answer, and stores the proof as spent.
"""

import os
import sys
import time
import urllib.parse
from pathlib import Path

import stack

# None here has passed 100 accepted submits a second per core.
SUBMITS_PER_SECOND_AT_MOST = 100 * (os.cpu_count() or 1)


def make(count: int, output: Path) -> None:
    import altcha
    import django

    django.setup()
    from urgentaction.core import pow

    with output.open("w") as file:
        for _ in range(count):
            challenge = altcha.Challenge.from_dict(pow.new_challenge(issued_at=time.time() - 60))
            solution = altcha.solve_challenge(challenge)
            payload = altcha.Payload(challenge, solution).to_base64()
            file.write(urllib.parse.quote(payload, safe="") + "\n")


class Maker:
    """Makes the proofs for each wrk run just before it, in the environment of a benchmark
    site (they all share the secret key): fresh ones, so that no site is ever sent one it
    has spent (the growth part's two sites share the first one's history), and none
    expires however long the runs."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder

    def for_run(self, seconds: int, name: str) -> Path:
        """More proofs than a wrk run of ``seconds`` can send."""
        return self.file(seconds * SUBMITS_PER_SECOND_AT_MOST + 64, name)

    def file(self, count: int, name: str) -> Path:
        path = self.folder / name
        stack.script(self.env, "proofs.py", str(count), str(path))
        return path


if __name__ == "__main__":
    sys.path.insert(0, str(stack.ROOT))
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/proofs.py N FILE")
    make(int(sys.argv[1]), Path(sys.argv[2]))
