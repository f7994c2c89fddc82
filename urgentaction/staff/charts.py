"""Charts drawn on the server as SVG, in one colour, with every value also given as text,
so that nothing rests on colour or on seeing the picture. The geometry is worked out
here; templates/staff/ draws it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


def sparkline(values: list[int], *, width: int = 112, height: int = 28) -> list[Bar]:
    """Small columns for a table cell: the shape of a week at a glance."""
    top = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    bars = []
    for index, value in enumerate(values):
        # A day without letters still shows, as a line on the ground.
        tall = max(height * value / top, 1)
        bars.append(Bar(index * slot + 1, height - tall, slot - 2, tall, "", value))
    return bars
