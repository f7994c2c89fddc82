"""The growth figures of ``make bench``: the page and submit runs on the SQLite site after
seeding ``--actions`` stored actions, against an unseeded copy of the same site served
beside it, measured in alternating turns."""

import statistics
from pathlib import Path

import database
import stack
from stack import WARM_UP_SECONDS

# The unseeded and the grown site in turns, each first as often as second.
GROWTH_TURNS = (("empty", "grown"), ("grown", "empty"), ("empty", "grown"), ("grown", "empty"))


def measure(bench, env: dict[str, str], data: Path, path: Path) -> None:
    """The site grown by ``bench.seed_count`` actions against the same site unseeded (a copy
    taken just before the seed), served side by side and measured in alternating
    turns, so that a machine that speeds up or slows down meanwhile weighs on both."""
    if not bench.seed_count:
        bench.note("growth: skipped (--actions 0)")
        return
    if bench.sqlite_template is None:
        raise RuntimeError("it copies the rows of the SQLite submit, which did not run")
    unseeded = bench.work / "sqlite-unseeded"
    database.copy_site(data, unseeded)
    seconds = database.seed_actions(path, bench.seed_count, bench.sqlite_template)
    size = sum(f.stat().st_size for f in data.glob("db.sqlite3*")) / 2**30
    print(f"   seeded {bench.seed_count:,} actions in {seconds:.0f} s ({size:.1f} GiB)")
    bench.note(
        f"growth: {bench.seed_count:,} stored actions seeded with bulk SQL in "
        f"{seconds:.0f} s ({size:.1f} GiB), each a copy of every row one submit writes, "
        "as a letter since confirmed and delivered; no ANALYZE, as a site that grew "
        "would not have run it either"
    )
    turn = max(bench.seconds // len(GROWTH_TURNS), 1)
    with (
        stack.site(
            stack.site_env(unseeded), stack.free_port(), unseeded / "gunicorn-unseeded.log"
        ) as empty,
        stack.site(env, stack.free_port(), data / "gunicorn-grown.log") as grown,
    ):
        sites = {"empty": empty, "grown": grown}
        for site in sites.values():
            bench.page_run(site, WARM_UP_SECONDS)
        pages = turns(bench, sites, lambda name, site: bench.page_run(site, turn), "page")
        forms = {name: bench.form_body(site) for name, site in sites.items()}
        for name, site in sites.items():
            bench.submit_run(site, forms[name], WARM_UP_SECONDS)
        submits = turns(
            bench, sites, lambda name, site: bench.submit_run(site, forms[name], turn), "submit"
        )
    bench.web_kb = max(bench.web_kb, empty.peak_worker_kb, grown.peak_worker_kb)
    db = database.Database(sqlite_path=path)
    try:
        bench.check_held(db, "SQLite, grown")
    finally:
        db.close()
    page_p99 = {name: statistics.median(r["p99_ms"] for r in runs) for name, runs in pages.items()}
    page_rps = {name: statistics.mean(r["rps"] for r in runs) for name, runs in pages.items()}
    submit_rps = {name: statistics.mean(r["rps"] for r in runs) for name, runs in submits.items()}
    print(
        f"   page p99 {page_p99['empty']:.1f} ms empty, {page_p99['grown']:.1f} ms grown; "
        f"submit {submit_rps['empty']:.0f} actions/s empty, {submit_rps['grown']:.0f} grown",
        flush=True,
    )
    growth = bench.results["growth"]
    growth["submit_ratio"] = round(submit_rps["grown"] / submit_rps["empty"], 4)
    growth["page_ratio"] = round(page_p99["grown"] / page_p99["empty"], 4)
    bench.note(
        f"growth: the grown site and an unseeded copy served side by side, measured in "
        f"turns ({', '.join('/'.join(order) for order in GROWTH_TURNS)}, {turn} s each); "
        f"page: {page_rps['grown']:.0f} requests/s at a median p99 of "
        f"{page_p99['grown']:.1f} ms grown, {page_rps['empty']:.0f} at "
        f"{page_p99['empty']:.1f} ms unseeded; submit: {submit_rps['grown']:.0f} "
        f"actions/s grown, {submit_rps['empty']:.0f} unseeded; submit_ratio is "
        "actions/s grown / unseeded (1 or more is no slower), page_ratio is p99 latency "
        "grown / unseeded (1 or less is no slower); turn by turn, page p99 ms grown "
        + per_turn(pages["grown"], "p99_ms")
        + ", unseeded "
        + per_turn(pages["empty"], "p99_ms")
        + "; submit actions/s grown "
        + per_turn(submits["grown"], "rps")
        + ", unseeded "
        + per_turn(submits["empty"], "rps")
    )


def turns(bench, sites: dict, run, what: str) -> dict[str, list[dict]]:
    """``run(name, site)`` for each site in the order of each of GROWTH_TURNS."""
    figures: dict[str, list[dict]] = {name: [] for name in sites}
    for order in GROWTH_TURNS:
        for name in order:
            figures[name].append(bench.checked(run(name, sites[name]), f"{what} ({name})"))
    return figures


def per_turn(runs: list[dict], figure: str) -> str:
    return "/".join(f"{run[figure]:.0f}" for run in runs)
