"""What each part of ``make bench`` is given, and what it gives back for run.py to record
in latest.json."""

from dataclasses import dataclass, field
from pathlib import Path

WARM_UP_SECONDS = 2


@dataclass(frozen=True)
class Config:
    """The run's options (``python benchmarks/run.py --help``)."""

    # The run's temporary directory: each part makes a folder of its own in it.
    work: Path
    # Length of each measured wrk run.
    seconds: int = 20
    # Actions stored for the growth, API and staff figures (0 leaves those out; the API
    # figures then come from the unseeded site alone).
    actions: int = 1_000_000
    # Letters the worker sends for the delivery figure; the update goes to 50 times as
    # many people (measure_updates.py).
    letters: int = 2000

    @property
    def warm_up(self) -> int:
        """Seconds of load before each measured run (no longer than the run)."""
        return min(WARM_UP_SECONDS, self.seconds)


@dataclass
class Measured:
    """A part's figures, under the keys of latest.json they belong in (``{"growth":
    {"submit_ratio": ...}}``), with notes on how they were made."""

    figures: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # The largest resident set (VmHWM, kB) of any web process the part ran.
    web_kb: int = 0
