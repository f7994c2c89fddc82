"""Charts drawn on the server as SVG: bars in one colour, every value also written out
in a table below the chart (and in its CSV), so that nothing rests on colour or on
seeing the picture. The geometry is worked out here; templates/staff/charts/ draws it."""

import math
from dataclasses import dataclass, field

# Units of the SVG's viewBox; the picture scales to the width of its box.
WIDTH = 720
COLUMNS_HEIGHT = 220
LEFT = 56
TOP = 12
BOTTOM = 30
ROWS_WIDTH = 520
ROW_HEIGHT = 34
BAR_THICKNESS = 22
LABEL_WIDTH = 200
VALUE_ROOM = 150
MOST_X_LABELS = 6
LONGEST_LABEL = 24
# A table longer than this folds away under the chart (it is there, one click away).
FOLD_ROWS = 8


def at(value: float) -> str:
    """A coordinate as SVG takes it: a point for decimals whatever the language."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    """A bar: where it is drawn (coordinates written out for SVG), and what it stands for."""

    x: str
    y: str
    width: str
    height: str
    label: str
    value: int
    # Beside a horizontal bar: the words after it, and where they go.
    text: str = ""
    text_x: str = ""
    text_y: str = ""


@dataclass(frozen=True)
class Mark:
    """A label on an axis."""

    x: str
    y: str
    text: str


@dataclass
class Chart:
    """One chart: its title, a sentence that says what it shows, its bars, and the same
    numbers as a table (``headers`` and ``rows``; the CSV download repeats them)."""

    key: str
    title: str
    summary: str
    headers: list[str]
    rows: list[list[object]]
    kind: str = "columns"
    width: int = WIDTH
    height: int = COLUMNS_HEIGHT
    bars: list[Bar] = field(default_factory=list)
    x_marks: list[Mark] = field(default_factory=list)
    y_marks: list[Mark] = field(default_factory=list)

    @property
    def baseline(self) -> float:
        return self.height - BOTTOM

    @property
    def label_x(self) -> str:
        return at(LABEL_WIDTH - 8)

    @property
    def folded(self) -> bool:
        return len(self.rows) > FOLD_ROWS


def nice_ceiling(value: int) -> int:
    """A round, even number at or above ``value`` for the top of a scale (2, 4, 6 or 10
    times a power of ten), so that the line halfway up is a whole number too."""
    if value <= 2:
        return 2
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (2, 4, 6, 10) if value <= step * power)


def columns(chart: Chart, points: list[tuple[str, int]]) -> Chart:
    """A column per point, in order: (label, value), e.g. an hour and its letters."""
    chart.kind = "columns"
    top = nice_ceiling(max((value for _label, value in points), default=0))
    room = chart.height - TOP - BOTTOM
    slot = (chart.width - LEFT) / max(len(points), 1)
    gap = min(slot * 0.25, 6)
    every = max(math.ceil(len(points) / MOST_X_LABELS), 1)
    for index, (label, value) in enumerate(points):
        height = room * value / top
        x = LEFT + index * slot
        chart.bars.append(
            Bar(
                at(x + gap / 2),
                at(chart.baseline - height),
                at(max(slot - gap, 1)),
                at(height),
                label,
                value,
            )
        )
        if index % every == 0:
            chart.x_marks.append(Mark(at(x + slot / 2), at(chart.height - 6), label))
    chart.y_marks = [
        Mark(at(LEFT), at(chart.baseline - room * share), f"{round(top * share):,}")
        for share in (0, 0.5, 1)
    ]
    return chart


def rows(chart: Chart, points: list[tuple[str, int, str]]) -> Chart:
    """A horizontal bar per point: (label, value, the words written beside the bar)."""
    chart.kind = "rows"
    chart.width = ROWS_WIDTH
    chart.height = TOP * 2 + ROW_HEIGHT * max(len(points), 1)
    top = max((value for _label, value, _text in points), default=0) or 1
    room = chart.width - LABEL_WIDTH - VALUE_ROOM
    for index, (label, value, text) in enumerate(points):
        y = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_THICKNESS) / 2
        length = max(room * value / top, 1) if value else 0
        short = label if len(label) <= LONGEST_LABEL else label[: LONGEST_LABEL - 1] + "…"
        chart.bars.append(
            Bar(
                at(LABEL_WIDTH),
                at(y),
                at(length),
                at(BAR_THICKNESS),
                short,
                value,
                text,
                text_x=at(LABEL_WIDTH + length + 8),
                text_y=at(y + BAR_THICKNESS / 2 + 5),
            )
        )
    return chart


def sparkline(values: list[int], *, width: int = 112, height: int = 28) -> list[Bar]:
    """Small columns for a table cell: the shape of a week at a glance."""
    top = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    bars = []
    for index, value in enumerate(values):
        # A day without letters still shows, as a line on the ground.
        tall = max(height * value / top, 1)
        bars.append(Bar(at(index * slot + 1), at(height - tall), at(slot - 2), at(tall), "", value))
    return bars
