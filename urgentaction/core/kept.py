"""What a process keeps of rows that seldom change, behind a version in the database:
a row per name (``KeptVersion``) whose number the owning app moves (``bump``) in the
transaction of each change. A letter's submit reads every number in the one statement
that reads its other versions (actions/kept.py), and runs with them (``read_as``): while
it does, a ``Kept`` trusts what it holds under the same number, and reads afresh
otherwise. Outside such a request (the worker, another page) it reads every time, as it
would without being kept.

An app registers its ``Kept`` at start-up; the apps below it read the numbers without
knowing whose they are, so that a submit in ``actions`` keeps what ``api`` listens with
without importing it."""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from urgentaction.core.models import KeptVersion
from urgentaction.lib import tally

T = TypeVar("T")

_keepers: dict[str, "Kept"] = {}
# The numbers read with the request's versions, while it runs with them.
_read: ContextVar[Mapping[str, int] | None] = ContextVar("kept_numbers", default=None)


class Kept(Generic[T]):
    """What ``read()`` returns, kept under the number of ``name`` as last read."""

    def __init__(self, name: str, read: Callable[[], T]) -> None:
        self.name = name
        self.read = read
        self.held: dict[int, T] = {}
        _keepers[name] = self

    def get(self) -> T:
        numbers = _read.get()
        number = None if numbers is None else numbers.get(self.name)
        if number is None:
            return self.read()
        if number not in self.held:
            # Read after the number was, so never older than it says.
            self.held = {number: self.read()}
        return self.held[number]


def bump(name: str) -> None:
    """What ``name`` stands for changed: processes read it afresh (call it in the
    transaction of the change)."""
    tally.add(KeptVersion, [{"name": name, "number": 1}], key=("name",), amounts=("number",))


def names() -> list[str]:
    """The names registered (at start-up, by the apps that keep them)."""
    return sorted(_keepers)


def numbers() -> dict[str, Subquery]:
    """Each registered name's number (0 before its first change), as annotations for the
    versions read, by the column name ``column`` gives it."""
    return {
        column(name): Coalesce(
            Subquery(KeptVersion.objects.filter(name=name).values("number")[:1]), Value(0)
        )
        for name in names()
    }


def column(name: str) -> str:
    return f"kept_{name}"


@contextmanager
def read_as(read: Mapping[str, int]) -> Iterator[None]:
    """Run the block with the numbers ``read`` (by name) as this request read them."""
    token = _read.set(read)
    try:
        yield
    finally:
        _read.reset(token)


def forget() -> None:
    """Drop all that is kept (between tests, whose numbers are rolled back)."""
    for keeper in _keepers.values():
        keeper.held = {}
