"""Proofs of work for the benchmark's submits, made ahead: wrk cannot solve one, and each
can be spent only once.

``python benchmarks/proofs.py N FILE`` runs in the site's environment, where POW_COUNTER
is 1 (``stack.site_env``) so that one takes about a millisecond to find: it writes N
solved challenges, issued a minute before, URL-encoded, one per line. A site checks a
proof the same way and at the same cost whatever the counter: it verifies a signature
over the answer, and stores the proof as spent.
"""

import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make(count: int, output: Path) -> None:
    import altcha
    import django

    django.setup()
    from urgentaction.lib import pow

    with output.open("w") as file:
        for _ in range(count):
            challenge = altcha.Challenge.from_dict(pow.new_challenge(issued_at=time.time() - 60))
            solution = altcha.solve_challenge(challenge)
            payload = altcha.Payload(challenge, solution).to_base64()
            file.write(urllib.parse.quote(payload, safe="") + "\n")


class Pool:
    """Proofs handed out in slices, one slice per wrk run, each proof once, so that no site
    is ever sent one it has spent (the growth part's two sites share the first one's
    history). Made when first needed, and more whenever the pool runs short."""

    def __init__(self, env: dict[str, str], path: Path) -> None:
        self.env, self.path = env, path
        self.proofs: list[str] = []
        self.used = 0

    def reserve(self, count: int) -> None:
        """Make sure ``count`` unused proofs are at hand (one process start for many)."""
        missing = count - (len(self.proofs) - self.used)
        if missing <= 0:
            return
        made = self.path.with_suffix(".new")
        subprocess.run(  # noqa: S603
            [sys.executable, str(Path(__file__)), str(missing), str(made)],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self.proofs += made.read_text().splitlines()
        made.unlink()

    def take(self, count: int) -> list[str]:
        self.reserve(count)
        taken = self.proofs[self.used : self.used + count]
        self.used += count
        return taken

    def slice_file(self, count: int, name: str) -> Path:
        path = self.path.with_name(name)
        path.write_text("".join(f"{proof}\n" for proof in self.take(count)))
        return path


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/proofs.py N FILE")
    make(int(sys.argv[1]), Path(sys.argv[2]))
