"""The submit figures of ``make bench``: valid actions POSTed by wrk, accepted per second,
against a plain Python loop writing the same rows to the same database with the same
durability (database.reference_loop), on SQLite and on PostgreSQL."""

import subprocess
from pathlib import Path

import database
import stack
from load import Load, warnings
from part import Config, Measured

# The reference loop runs this long, or as long as a wrk run if that is shorter.
REFERENCE_SECONDS = 5


def measure(
    config: Config, load: Load, site: stack.Site, db: database.Database, static_root: Path
) -> tuple[Measured, database.Template]:
    """wrk POSTing actions through make serve's nginx in front of ``site`` (the figures),
    then to gunicorn alone (``gunicorn_*``), then the reference loop on the same database;
    with the rows one submit wrote (for the growth seed to copy). Closes ``db``."""
    kind = "sqlite" if db.sqlite else "postgres"
    name = "SQLite" if db.sqlite else "PostgreSQL"
    measured = Measured()
    try:
        form = load.form(site)
        before = db.counts()
        status = load.post_one(site, form)
        if status != 302:
            raise RuntimeError(f"a valid action was answered {status}, not 302")
        template, others = database.rows_of_a_submit(db, before)
        if others:
            measured.notes.append(
                f"submit ({name}): a submit also wrote to {', '.join(others)}, which the "
                "reference loop does not copy (not part of the letter)"
            )
        held = template["actions_action"].get("held_reasons")
        if held not in (None, "", "[]", []):
            measured.notes.append(
                f"submit ({name}): the site held the probe letter for review: {held}"
            )
        measured.notes.append(
            f"submit ({name}): one accepted action writes a row in each of "
            + ", ".join(template)
            + "; the reference loop writes the same"
        )
        # Letters in the tables before any figure, and on PostgreSQL their statistics.
        load.submits(site, form, config.warm_up)
        db.analyse()
        proxied = through_nginx(config, load, site, form, static_root, measured, name)
        load.submits(site, form, config.warm_up)
        alone = load.submits(site, form, config.seconds)
        measured.notes += warnings(alone, f"submit ({name}, gunicorn alone)")
        measured.notes += held_notes(db, name)
        raw = database.reference_loop(db, template, min(REFERENCE_SECONDS, config.seconds))
    finally:
        db.close()
    print(
        f"   {name}, gunicorn alone: {alone['rps']:.0f} actions/s, p99 "
        f"{alone['p99_ms']:.0f} ms; reference loop {raw['rps']:.0f} actions/s "
        f"(p99 {raw['p99_ms']:.1f} ms)",
        flush=True,
    )
    measured.figures["submit"] = {
        kind: {
            "rps": proxied and round(proxied["rps"], 1),
            "p99_ms": proxied and round(proxied["p99_ms"], 1),
            "raw_rps": round(raw["rps"], 1),
            "ratio": proxied and round(proxied["rps"] / raw["rps"], 4),
            "gunicorn_rps": round(alone["rps"], 1),
            "gunicorn_p99_ms": round(alone["p99_ms"], 1),
            "gunicorn_ratio": round(alone["rps"] / raw["rps"], 4),
        }
    }
    return measured, template


def through_nginx(
    config: Config,
    load: Load,
    site: stack.Site,
    form: Path,
    static_root: Path,
    measured: Measured,
    name: str,
) -> dict | None:
    """wrk POSTing actions through make serve's nginx in front of ``site``, as real
    traffic arrives; None, with a note, when nginx cannot run."""
    try:
        with stack.proxy(site, stack.free_port(), static_root) as url:
            origin = url.removesuffix(stack.DEMO_PATH)
            load.submits(site, form, config.warm_up, origin=origin)
            figures = load.submits(site, form, config.seconds, origin=origin)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        measured.notes.append(f"submit ({name}): no figures through make serve's nginx: {error}")
        return None
    measured.notes += warnings(figures, f"submit ({name})")
    print(
        f"   {name}, through make serve's nginx: {figures['rps']:.0f} actions/s, "
        f"p99 {figures['p99_ms']:.0f} ms",
        flush=True,
    )
    return figures


def held_notes(db: database.Database, name: str) -> list[str]:
    held = db.held_for_review()
    if not held:
        return []
    return [
        f"submit ({name}): the site held {held} of the benchmark's letters for review, "
        "so some figures are for held letters"
    ]


def measure_postgres(config: Config, load: Load, url: str, name: str) -> Measured:
    """The submit figures on a PostgreSQL database ``name`` made for them on the server
    of ``url`` (and dropped after); without a server, no figures but a note saying why."""
    try:
        database_url = database.create_postgres(url, name)
    except Exception as error:
        return Measured(notes=[f"submit (PostgreSQL): no server at {url}: {error}"])
    try:
        data = config.work / "postgres"
        data.mkdir()
        env = stack.site_env(data, DATABASE_URL=database_url)
        stack.prepare_site(env)
        with stack.site(env, stack.free_port(), data / "gunicorn.log") as site:
            db = database.Database(postgres_url=database_url)
            measured, _template = measure(config, load, site, db, data / "static")
        measured.web_kb = site.peak_worker_kb
        measured.notes.append(
            "submit (PostgreSQL): synchronous_commit="
            + database.postgres_setting(database_url, "synchronous_commit")
            + ", each web process's pool holds up to 10 connections"
        )
        return measured
    finally:
        database.drop_postgres(url, name)
