"""The secure_delete figures of ``make bench``: what SQLite's ``PRAGMA secure_delete=ON``
(the site's setting, so that erased values do not stay in the database file) costs a
submit and an erasure, against the same work with it OFF, in short alternating rounds on
one site in one process (secure_delete.py)."""

import json
import statistics

import stack
from part import Config, Measured

OPERATIONS = {"submit": "submit_ms", "erasure": "erasure_ms"}


def measure(config: Config) -> Measured:
    """Milliseconds per submit and per erasure with secure_delete on and off: the median
    of every such operation in the rounds of each setting."""
    data, env = stack.sqlite_site(config.work, "secure-delete")
    output = data / "secure-delete.json"
    # As long as one wrk run.
    stack.script(env, "secure_delete.py", str(config.seconds), str(output))
    found = json.loads(output.read_text())
    rounds = found["rounds"]
    figures, spreads = {}, {}
    for operation, key in OPERATIONS.items():
        times = {
            setting: [ms for one in rounds if one["setting"] == setting for ms in one[key]]
            for setting in ("on", "off")
        }
        on, off = (statistics.median(times[setting]) for setting in ("on", "off"))
        figures[operation] = {
            "on_ms": round(on, 2),
            "off_ms": round(off, 2),
            "ratio": round(on / off, 4),
        }
        spreads[operation] = ", ".join(
            f"{setting} {len(values)} at {quartiles(values)} ms"
            for setting, values in times.items()
        )
    print(
        f"   submit {figures['submit']['on_ms']:.1f} ms on, {figures['submit']['off_ms']:.1f} "
        f"off; erasure {figures['erasure']['on_ms']:.1f} ms on, "
        f"{figures['erasure']['off_ms']:.1f} off",
        flush=True,
    )
    note = (
        f"secure_delete: SQLite {found['sqlite']}, built with secure_delete "
        f"{'on' if found['default_on'] else 'off'} by default, switched on and off in "
        f"{len(rounds)} rounds ({'/'.join(one['setting'] for one in rounds[:4])}, ...) in "
        "one process, each writing letters (take_action, with the confirmation email) "
        "and then erasing their writers (erase_supporter, with the WAL checkpoint); "
        "figures are medians of every operation under each setting; the quartiles: "
        f"submits {spreads['submit']}; erasures {spreads['erasure']}"
    )
    return Measured(figures={"secure_delete": figures}, notes=[note])


def quartiles(values: list[float]) -> str:
    low, _median, high = statistics.quantiles(values, n=4)
    return f"{low:.0f} to {high:.0f}"
