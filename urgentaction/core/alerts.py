"""Alerts for the staff home from apps the staff app does not read: the API stands beside
it in the house, so it registers its own alerts here when it is ready, and the staff
home (staff/alerts.py) shows them with the rest."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Alert:
    text: str
    detail: str
    url: str


Maker = Callable[[], list[Alert]]

# (permission the staff member needs to see them, what makes them)
_makers: list[tuple[str, Maker]] = []


def register(make: Maker, *, permission: str) -> None:
    if (permission, make) not in _makers:
        _makers.append((permission, make))


def registered() -> list[tuple[str, Maker]]:
    return list(_makers)
