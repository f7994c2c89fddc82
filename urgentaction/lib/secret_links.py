"""Personal links carry their token in the path (``/confirm/<token>/``, ``/my-data/<token>/``,
``/replies/<token>/``, ...): whoever reads one can use it. Wherever staff or the logs see
such a link, its token is replaced by ``…``."""

import logging
import re

HIDDEN = "…"

# One of our personal links' paths, alone or after a scheme and host, in any language
# (``/ko/...``), up to its token. ``/admin/letters/...`` is no such path: the path must
# start right there.
_TOKEN_IN_PATH = re.compile(
    r"(?P<start>(?:^|(?<=[\s\"'<>(=]))(?:[a-z][a-z0-9+.-]*://[^/\s\"'<>]+)?(?:/[a-z]{2}(?:-[a-z]+)?)?"
    r"/(?:confirm|my-data|letters|replies|cases/stop|updates/(?:confirm|unsubscribe|preferences))/)"
    r"(?!check-your-inbox/|thank-you/)[^/\s\"'<>?#]+",
    re.IGNORECASE | re.MULTILINE,
)
# The unsubscribe token in the subject of List-Unsubscribe's ``mailto:``.
_TOKEN_IN_SUBJECT = re.compile(r"(?P<start>subject=unsubscribe(?:%20|\+))[^\s\"'<>&]+")


def hide_tokens(text: str) -> str:
    """``text`` with the token of each personal link in it replaced by ``…``."""
    text = _TOKEN_IN_PATH.sub(rf"\g<start>{HIDDEN}", text)
    return _TOKEN_IN_SUBJECT.sub(rf"\g<start>{HIDDEN}", text)


class HideTokens(logging.Filter):
    """A logging filter that hides the tokens in a record's message and arguments: Django
    logs the path of a request that failed (``Not Found: /confirm/<token>/``), and the
    development server every request's."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = hide_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                hide_tokens(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True
