"""The growth figures of ``make bench``: the page and submit runs on the SQLite site after
seeding ``--actions`` stored actions, against an unseeded copy of the same site served
beside it, measured in alternating turns; and the bytes the grown database takes per
letter."""

import statistics
from pathlib import Path

import database
import stack
from load import Load, warnings
from measure_submit import held_notes
from part import Config, Measured

# The unseeded and the grown site in turns, each first as often as second.
GROWTH_TURNS = (("empty", "grown"), ("grown", "empty"), ("empty", "grown"), ("grown", "empty"))


def measure(config: Config, load: Load, data: Path, template: database.Template) -> Measured:
    """The SQLite site in ``data`` grown by ``config.actions`` copies of ``template`` (the
    rows one submit wrote) against the same site unseeded (a copy taken just before the
    seed), served side by side and measured in alternating turns, so that a machine that
    speeds up or slows down meanwhile weighs on both."""
    measured = Measured()
    unseeded = config.work / "sqlite-unseeded"
    database.copy_site(data, unseeded)
    path = data / "db.sqlite3"
    seconds = database.seed_actions(path, config.actions, template)
    size = sum(f.stat().st_size for f in data.glob("db.sqlite3*"))
    letters = database.letters(path)
    print(
        f"   seeded {config.actions:,} actions in {seconds:.0f} s ({size / 2**30:.1f} GiB, "
        f"{size / letters:,.0f} bytes a letter)"
    )
    measured.notes.append(
        f"growth: {config.actions:,} stored actions seeded with bulk SQL in "
        f"{seconds:.0f} s ({size / 2**30:.1f} GiB for {letters:,} letters), each a copy of "
        "every row one submit writes, as a letter since confirmed and delivered; no "
        "ANALYZE, as a site that grew would not have run it either"
    )
    turn = max(config.seconds // len(GROWTH_TURNS), 1)
    with (
        stack.site(
            stack.site_env(unseeded), stack.free_port(), unseeded / "gunicorn-unseeded.log"
        ) as empty,
        stack.site(stack.site_env(data), stack.free_port(), data / "gunicorn-grown.log") as grown,
    ):
        sites = {"empty": empty, "grown": grown}
        for site in sites.values():
            load.page(site, config.warm_up)
        pages = turns(measured, sites, lambda name, site: load.page(site, turn), "page")
        forms = {name: load.form(site) for name, site in sites.items()}
        for name, site in sites.items():
            load.submits(site, forms[name], config.warm_up)
        submits = turns(
            measured, sites, lambda name, site: load.submits(site, forms[name], turn), "submit"
        )
    measured.web_kb = max(empty.peak_worker_kb, grown.peak_worker_kb)
    db = database.Database(sqlite_path=path)
    try:
        measured.notes += held_notes(db, "SQLite, grown")
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
    measured.figures["growth"] = {
        "submit_ratio": round(submit_rps["grown"] / submit_rps["empty"], 4),
        "page_ratio": round(page_p99["grown"] / page_p99["empty"], 4),
        # The whole database (its files) over every letter in it.
        "bytes_per_action": round(size / letters),
    }
    measured.notes.append(
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
    return measured


def turns(measured: Measured, sites: dict, run, what: str) -> dict[str, list[dict]]:
    """``run(name, site)`` for each site in the order of each of GROWTH_TURNS."""
    figures: dict[str, list[dict]] = {name: [] for name in sites}
    for order in GROWTH_TURNS:
        for name in order:
            figures[name].append(run(name, sites[name]))
            measured.notes += warnings(figures[name][-1], f"{what} ({name})")
    return figures


def per_turn(runs: list[dict], figure: str) -> str:
    return "/".join(f"{run[figure]:.0f}" for run in runs)
