"""Parts of a page kept as HTML by each process under everything they show, so that a
page made again (its cached copy expired, or a visitor with a cookie, whom no cache
serves) does not render them again. What changes with every view (a form's signed
time) is rendered into a kept part as a mark and filled in each time
(``{% kept_fragment %}``, core/templatetags/fragments.py)."""

from collections.abc import Hashable
from dataclasses import dataclass, field

from django.utils.html import conditional_escape

# Entries each process keeps at most: a page's variants (languages, source tags) are
# few, and an address with made-up source tags must not grow a process without end.
MOST = 200

_kept: dict[Hashable, str] = {}


@dataclass(frozen=True)
class Fragment:
    """``key``: everything the part shows; ``fills``: the marks it has in place of what
    changes with every view, and what each view puts there (escaped as the template
    would)."""

    key: Hashable
    fills: dict[str, str] = field(default_factory=dict)

    def fill(self, html: str) -> str:
        for mark, value in self.fills.items():
            html = html.replace(mark, str(conditional_escape(value)))
        return html


def kept(key: Hashable) -> str | None:
    return _kept.get(key)


def keep(key: Hashable, html: str) -> None:
    if len(_kept) >= MOST:
        del _kept[next(iter(_kept))]
    _kept[key] = html


def forget() -> None:
    """Drop all that this process keeps (between tests)."""
    _kept.clear()
