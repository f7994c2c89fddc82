"""The campaign page's render in CPU instructions, as callgrind counts them (a machine's
load makes no difference to the count), with a profile of where they go.

``python benchmarks/render_cpu.py [--renders 20] [--profile 200] [--pages DIR]`` prepares a
site as ``make bench`` does (SQLite in a temporary DATA_DIR, DEBUG off, the demo campaign
written to its addressee alone: stack.prepare_site) and measures two renders of the demo
campaign's page through Django's test client, each with a session cookie so that no cache
serves it:

- ``again``: the page made again (its cached copy expired, or a visitor with a cookie):
  what each process keeps of it is there;
- ``edit``: the first render after a staff edit: the campaign is saved before each render,
  which moves its version, so that every kept part is made again.

Each is the whole process under callgrind, with RENDERS renders after WARM_UP of warm-up,
less the same process without the renders (for ``edit``, its saves alone), over RENDERS.
With ``--profile N``, cProfile's listing of N renders of each (the saves left out). With
``--pages DIR``, the pages to compare before and after a change are written to DIR
(``pages`` below); ``diff -r`` two such directories, each written from the same site
prepared once in ``--work DIR`` (``--renders 0``: nothing else).

Run inside the site's environment, ``render_cpu.py run MODE N RENDERS`` (the process
callgrind counts), ``render_cpu.py profile MODE N`` and ``render_cpu.py pages DIR`` are the
parts."""

import argparse
import cProfile
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import stack

WARM_UP = 20
MODES = ("again", "edit")
# The form's signed time and a frame's token: new with each view.
STAMPS = re.compile(r'(name="(?:rendered|embed_token)" value=")[^"]*(")')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--pages", type=Path, metavar="DIR")
    parser.add_argument("--work", type=Path, metavar="DIR")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="render-cpu-") as temporary:
        # A site prepared once in --work serves later runs, so that the pages of two
        # runs compare (the demo's dates are counted from the day it is loaded).
        work = options.work.resolve() if options.work else Path(temporary)
        data, env = stack.sqlite_site(work, f"site-{Path(temporary).name}")
        try:
            measure(env, options)
        finally:
            shutil.rmtree(data)


def measure(env: dict[str, str], options: argparse.Namespace) -> None:
    if options.pages:
        part(env, "pages", str(options.pages.resolve()))
    for mode in MODES if options.renders else ():
        with_renders = instructions(env, mode, options.renders, renders=True)
        without = instructions(env, mode, options.renders, renders=False)
        per_render = (with_renders - without) / options.renders
        print(f"{mode}: {per_render / 1e6:.1f} M instructions a render", flush=True)
    for mode in MODES if options.profile else ():
        part(env, "profile", mode, str(options.profile))


def part(env: dict[str, str], *args: str, under: tuple[str, ...] = ()) -> None:
    subprocess.run([*under, sys.executable, __file__, *args], env=env, check=True)  # noqa: S603


def instructions(env: dict[str, str], mode: str, count: int, *, renders: bool) -> int:
    """The instructions callgrind counts in a whole ``run`` process."""
    with tempfile.TemporaryDirectory(prefix="callgrind-") as out:
        counted = Path(out) / "callgrind.out"
        under = ("valgrind", "--tool=callgrind", "-q", f"--callgrind-out-file={counted}")
        part(env, "run", mode, str(count), str(int(renders)), under=under)
        totals = re.search(r"^(?:summary|totals): (\d+)", counted.read_text(), re.MULTILINE)
        return int(totals[1])


def setup():
    """Django, and a visitor with a session cookie, whom no cache serves."""
    stack.project()
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    visitor = Client(HTTP_HOST="127.0.0.1")
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "someone"
    return visitor


def render(visitor, path: str = stack.DEMO_PATH) -> str:
    response = visitor.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return response.content.decode()


def edit() -> None:
    """Staff save the demo campaign: its version moves."""
    from urgentaction.campaigns.demo import DEMO_SLUG
    from urgentaction.campaigns.models import Campaign

    Campaign.objects.get(slug=DEMO_SLUG).save()


def run(mode: str, count: int, renders: bool) -> None:
    visitor = setup()
    for _ in range(WARM_UP):
        if mode == "edit":
            edit()
        render(visitor)
    for _ in range(count):
        if mode == "edit":
            edit()
        if renders:
            render(visitor)


def profile(mode: str, count: int) -> None:
    visitor = setup()
    for _ in range(WARM_UP):
        render(visitor)
    profiler = cProfile.Profile()
    for _ in range(count):
        if mode == "edit":
            edit()
        profiler.runcall(render, visitor)
    print(f"\n{mode}: {count} renders")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


def pages(into: str) -> None:
    """The pages a change to the render must leave byte for byte the same (the form's
    signed time and a frame's token masked): the demo campaign in English and Korean, a
    closed case with its outcome, a follow-up with its target's response, the page in a
    frame, and the page sent back with errors; each as first made after an edit and as
    made again."""
    visitor = setup()
    from django.db.models import F
    from django.utils import translation

    from urgentaction.campaigns.demo import DEMO_SLUG
    from urgentaction.campaigns.demo_ended_case import CASE_SLUG, FOLLOW_UP_SLUG
    from urgentaction.campaigns.models import Campaign

    Campaign.objects.filter(slug=DEMO_SLUG).update(embed_origins=["https://partner.example"])
    # Keep the same versions in every run: the edits below move them by a fixed step.
    Campaign.objects.update(updated_at=F("created_at"))
    demo = Campaign.objects.get(slug=DEMO_SLUG)
    with translation.override("ko"):
        korean = demo.get_absolute_url()
    shown = {
        "english": demo.get_absolute_url(),
        "korean": korean,
        "closed": Campaign.objects.get(slug=CASE_SLUG).get_absolute_url(),
        "follow_up": Campaign.objects.get(slug=FOLLOW_UP_SLUG).get_absolute_url(),
        "framed": f"/embed/actions/{DEMO_SLUG}/?source=partner",
        "sourced": demo.get_absolute_url() + "?source=newsletter",
    }
    directory = Path(into)
    directory.mkdir(parents=True, exist_ok=True)
    for round_ in ("first", "again", "edited", "edited-again"):
        if round_ == "edited":
            # As an edit does: a new version, with the same content.
            Campaign.objects.update(updated_at=F("updated_at") + timedelta(hours=1))
        for name, path in shown.items():
            save(directory / f"{name}-{round_}.html", render(visitor, path))
        errors = visitor.post(
            demo.get_absolute_url(),
            {"first_name": "Ada <b>", "email": "not an address"},
            HTTP_ORIGIN="http://127.0.0.1",
        )
        save(directory / f"errors-{round_}.html", errors.content.decode())
    print(f"pages written to {directory}")


def save(path: Path, html: str) -> None:
    path.write_text(STAMPS.sub(r"\1\2", html))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in {"run", "profile", "pages"}:
        command, *args = sys.argv[1:]
        if command == "run":
            run(args[0], int(args[1]), args[2] == "1")
        elif command == "profile":
            profile(args[0], int(args[1]))
        else:
            pages(args[0])
    else:
        os.chdir(stack.ROOT)
        main()
