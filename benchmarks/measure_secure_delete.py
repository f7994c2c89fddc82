"""The secure_delete figures of ``make bench``: what SQLite's ``PRAGMA secure_delete=ON``
(the site's setting, so that erased values do not stay in the database file) costs a
submit and an erasure, against the same work with it OFF, in alternating rounds on one
site in one process (secure_delete.py)."""

import json
import statistics

import stack
from part import Config, Measured

# On and off in turns, each first as often as second.
ROUNDS = ("on", "off", "off", "on", "on", "off", "off", "on")
OPERATIONS = {"submit": "submit_ms", "erasure": "erasure_ms"}


def measure(config: Config) -> Measured:
    """Milliseconds per submit and per erasure with secure_delete on and off: for each, the
    median over its rounds of a round's mean."""
    data, env = stack.sqlite_site(config.work, "secure-delete")
    output = data / "secure-delete.json"
    # The rounds take about as long as the page and submit runs together.
    seconds = max(config.seconds / len(ROUNDS), 0.1)
    stack.script(env, "secure_delete.py", str(seconds), str(output), *ROUNDS)
    found = json.loads(output.read_text())
    rounds = found["rounds"]
    figures, spreads = {}, {}
    for operation, key in OPERATIONS.items():
        means = {setting: [] for setting in ("on", "off")}
        for one in rounds:
            means[one["setting"]].append(statistics.mean(one[key]))
        on, off = (statistics.median(means[setting]) for setting in ("on", "off"))
        figures[operation] = {
            "on_ms": round(on, 2),
            "off_ms": round(off, 2),
            "ratio": round(on / off, 4),
        }
        spreads[operation] = ", ".join(
            f"{setting} " + "/".join(f"{mean:.0f}" for mean in means[setting]) for setting in means
        )
    counts = {
        operation: sum(len(one[key]) for one in rounds) for operation, key in OPERATIONS.items()
    }
    print(
        f"   submit {figures['submit']['on_ms']:.1f} ms on, {figures['submit']['off_ms']:.1f} "
        f"off; erasure {figures['erasure']['on_ms']:.1f} ms on, "
        f"{figures['erasure']['off_ms']:.1f} off",
        flush=True,
    )
    note = (
        f"secure_delete: SQLite {found['sqlite']}, built with secure_delete "
        f"{'on' if found['default_on'] else 'off'} by default, switched on and off in "
        f"{len(ROUNDS)} rounds ({'/'.join(ROUNDS)}) of {seconds:.1f} s of submits each, "
        "every writer erased after; "
        f"{counts['submit']} submits and {counts['erasure']} erasures in one process "
        "(take_action with the confirmation email; erase_supporter with the WAL "
        "checkpoint); each figure is the median of its rounds' mean ms; round by round, "
        f"submit ms {spreads['submit']}; erasure ms {spreads['erasure']}"
    )
    return Measured(figures={"secure_delete": figures}, notes=[note])
