"""The API figures of ``make bench``: requests/s of a campaign's list of letters
(``GET /api/v1/campaigns/{slug}/actions`` with a read key, 100 letters a page) on the SQLite site
grown by the growth part (``--actions`` stored letters), against its unseeded copy served
beside it, measured in alternating turns as growth measures: the first page, and a page
deep in the cursor (api.py). With ``--actions 0`` there is no grown site: the unseeded
site's figures alone are measured, and ``api.list_rps`` is null."""

import contextlib
import json
import statistics
from pathlib import Path

import api
import stack
from load import warnings
from measure_growth import GROWTH_TURNS, per_turn
from part import Config, Measured

# The benchmark's one key may make any number of requests: its rate limit (one counter
# written per request, as for every key) is measured, its refusals are not.
UNLIMITED = str(10**9)
PAGES = ("first", "deep")
# What a plan shows when the list query does not read the campaign's letters in order
# from an index: a full scan of the table, or a sort.
UNINDEXED = ("SCAN actions_action", "TEMP B-TREE")


def measure(config: Config, data: Path) -> Measured:
    """The list's figures on the grown site in ``data`` and on the unseeded copy that the
    growth part made (or, with ``--actions 0``, on ``data`` alone, unseeded)."""
    if config.actions:
        paths = {"empty": config.work / "sqlite-unseeded", "grown": data}
        if not paths["empty"].exists():
            raise RuntimeError("the growth part left no unseeded copy of the site")
    else:
        paths = {"empty": data}
    measured = Measured()
    envs = {
        name: stack.site_env(path, API_REQUESTS_PER_MINUTE=UNLIMITED)
        for name, path in paths.items()
    }
    sites, pages = {}, {}
    for name, path in paths.items():
        stack.script(envs[name], "api.py", "prepare", str(path / "api.json"))
        pages[name] = json.loads((path / "api.json").read_text())
        plans = pages[name]["plans"]
        measured.notes.append(
            f"api ({name}): {pages[name]['letters']:,} letters on the campaign; the list "
            f"query's plan, first page: {plans['first']}; deep page: {plans['deep']}"
        )
        unindexed = [page for page, plan in plans.items() if any(w in plan for w in UNINDEXED)]
        if unindexed:
            measured.notes.append(
                f"api ({name}): the {' and '.join(unindexed)} page's query scans or sorts the "
                "campaign's letters instead of reading them in order from an index"
            )
    turn = max(config.seconds // len(GROWTH_TURNS), 1)
    with contextlib.ExitStack() as running:
        for name, path in paths.items():
            log = path / "gunicorn-api.log"
            sites[name] = running.enter_context(stack.site(envs[name], stack.free_port(), log))
        runs = run_turns(measured, sites, pages, config.warm_up, turn)
    measured.web_kb = max(site.peak_worker_kb for site in sites.values())
    figures = {
        name: {
            page: (
                statistics.mean(run["rps"] for run in runs[name][page]),
                statistics.median(run["p99_ms"] for run in runs[name][page]),
            )
            for page in PAGES
        }
        for name in runs
    }
    empty_first, empty_deep = figures["empty"]["first"], figures["empty"]["deep"]
    unseeded = {
        "unseeded_rps": round(empty_first[0], 1),
        "unseeded_deep_rps": round(empty_deep[0], 1),
    }
    turn_by_turn = "; ".join(
        f"{page} page requests/s {name} {per_turn(runs[name][page], 'rps')}"
        for name in runs
        for page in PAGES
    )
    if "grown" not in figures:
        measured.notes.append(
            "api: list_rps not measured (--actions 0): the unseeded site's figures alone "
            f"({empty_first[0]:.0f} requests/s on the first page, {empty_deep[0]:.0f} deep); "
            + turn_by_turn
        )
        measured.figures["api"] = unseeded
        return measured
    first, deep = figures["grown"]["first"], figures["grown"]["deep"]
    measured.figures["api"] = {
        "list_rps": round(first[0], 1),
        "p99_ms": round(first[1], 1),
        "deep_rps": round(deep[0], 1),
        "deep_p99_ms": round(deep[1], 1),
        **unseeded,
        "ratio": round(first[0] / empty_first[0], 4),
        "deep_ratio": round(deep[0] / empty_deep[0], 4),
    }
    print(
        f"   first page {first[0]:.0f} requests/s grown, {empty_first[0]:.0f} unseeded; "
        f"deep {deep[0]:.0f} grown, {empty_deep[0]:.0f} unseeded",
        flush=True,
    )
    measured.notes.append(
        f"api: GET {pages['grown']['first'].split('?')[0]} with a read key, {api.LIMIT} "
        "letters a page, wrk at 64 connections on the grown site and its unseeded copy in turns "
        f"({', '.join('/'.join(order) for order in GROWTH_TURNS)}, {turn} s per page each); "
        f"first page {first[0]:.0f} requests/s (median p99 {first[1]:.0f} ms) grown, "
        f"{empty_first[0]:.0f} (p99 {empty_first[1]:.0f} ms) unseeded; the deep page "
        f"(a cursor {api.DEEP:.0%} of the way through) {deep[0]:.0f} (p99 {deep[1]:.0f} "
        f"ms) grown, {empty_deep[0]:.0f} (p99 {empty_deep[1]:.0f} ms) unseeded; " + turn_by_turn
    )
    return measured


def run_turns(measured: Measured, sites: dict, pages: dict, warm_up: int, turn: int) -> dict:
    """Each site's first and deep page, warmed up, then in the order of GROWTH_TURNS (the
    sites there are): site -> page -> the wrk runs' figures."""

    def run(name: str, page: str, seconds: int) -> dict:
        site = sites[name]
        figures = stack.wrk(
            site.origin + pages[name][page],
            seconds=seconds,
            headers=(f"Authorization: Bearer {pages[name]['key']}",),
        )
        site.drain()
        measured.notes.extend(warnings(figures, f"api, {page} page ({name})"))
        return figures

    for name in sites:
        for page in PAGES:
            run(name, page, warm_up)
    runs = {name: {page: [] for page in PAGES} for name in sites}
    for order in GROWTH_TURNS:
        for name in order:
            if name in sites:
                for page in PAGES:
                    runs[name][page].append(run(name, page, turn))
    return runs
