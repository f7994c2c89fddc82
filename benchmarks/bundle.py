"""Benchmark: how long a hand-in bundle of N letters takes, and how much memory.

Usage: python benchmarks/bundle.py [N ...]   (default: 1000 10000)

Each size runs in a fresh process on a throwaway SQLite database, so that peak memory
(the largest resident set of the process and of any typesetting child) is its own.
Writes benchmarks/results/bundle.json and prints a table. Target: 10,000 letters in
under 30 seconds, with memory that does not grow with the number of letters.
"""

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "bundle.json"


def measure(count: int) -> dict[str, float]:
    """Run in a child process: seed ``count`` letters, build the bundle, report."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from urgentaction.actions.models import Action
    from urgentaction.campaigns.models import Campaign, Channel, LetterTemplate, Target
    from urgentaction.letters.documents import build_bundle
    from urgentaction.letters.models import HandInBundle
    from urgentaction.lib.hashing import email_hash
    from urgentaction.supporters.models import Supporter

    target = Target.objects.create(
        office="Foreign Secretary",
        salutation="Dear Foreign Secretary",
        address="King Charles Street\nLondon",
        postcode="SW1A 2AH",
        email="fs@example.org",
    )
    campaign = Campaign.objects.create(slug="bench", title="Benchmark", summary=".", story=".")
    campaign.targets.add(target)
    LetterTemplate.objects.create(campaign=campaign, subject="s", body="b")
    body = (
        "Dear Foreign Secretary\n\n"
        + ("I am writing about ten refugees in Shenyang. " * 12 + "\n\n") * 3
    )
    body += "한국어 문장입니다.\n\nYours sincerely"
    for start in range(0, count, 2000):
        size = min(2000, count - start)
        supporters = Supporter.objects.bulk_create(
            Supporter(
                email=f"s{n}@example.org",
                email_hash=email_hash(f"s{n}@example.org"),
                first_name="Ada",
                last_name=f"Writer {n}",
            )
            for n in range(start, start + size)
        )
        Action.objects.bulk_create(
            Action(
                campaign=campaign,
                supporter=supporter,
                form_token=f"00000000-0000-4000-8000-{index:012d}",
                channel=Channel.POST,
                subject="s",
                body=body,
                first_name="Ada",
                last_name=supporter.last_name,
                email=supporter.email,
                address_line1="1 High Street",
                town="Leeds",
                country="United Kingdom",
            )
            for index, supporter in enumerate(supporters, start=start)
        )
    # As the worker has it once it has claimed the bundle: only then is it made.
    bundle = HandInBundle.objects.create(campaign=campaign, status=HandInBundle.Status.BUILDING)
    started = time.perf_counter()
    build_bundle(bundle)
    seconds = time.perf_counter() - started
    bundle.refresh_from_db()
    if bundle.status != HandInBundle.Status.READY or bundle.letters != count:
        raise RuntimeError(f"The bundle was not made: {bundle.status}, {bundle.letters} letters")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "letters": bundle.letters,
        "pages": bundle.pages,
        "seconds": round(seconds, 2),
        "letters_per_second": round(bundle.letters / seconds, 1),
        "peak_mb_process": round(own, 1),
        "peak_mb_typesetting_child": round(children, 1),
        "file_mb": round(bundle.path.stat().st_size / 1e6, 1),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    sizes = [int(arg) for arg in sys.argv[1:]] or [1000, 10000]
    rows = []
    for count in sizes:
        with tempfile.TemporaryDirectory() as data_dir:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "urgentaction.settings",
                "DATA_DIR": data_dir,
                "DATABASE_URL": f"sqlite:///{data_dir}/bench.sqlite3",
                "SECRET_KEY": "benchmark-only-" + "x" * 40,
                "DEBUG": "0",
                "HTTPS": "0",
            }
            output = subprocess.run(  # noqa: S603
                [sys.executable, __file__, "--measure", str(count)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
    result = {
        "machine": f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()})",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "bundle": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    columns = [
        ("letters", "letters"),
        ("pages", "pages"),
        ("seconds", "seconds"),
        ("letters/s", "letters_per_second"),
        ("peak MB", "peak_mb_process"),
        ("child MB", "peak_mb_typesetting_child"),
    ]
    print(" ".join(f"{title:>10}" for title, _ in columns))
    for row in rows:
        print(" ".join(f"{row[key]:>10}" for _, key in columns))
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
