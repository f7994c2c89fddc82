"""Source tags: where the link to a campaign page came from, as its address says
(``?source=newsletter``, or the ``utm_`` parameters that mailing tools and social media
schedulers add), carried with the letter and counted on the staff dashboards.

A tag labels a link that the organisation or a partner published, not a person: the
dashboards count letters by tag in plain text (actions/tallies.py). So ``utm_content``,
``utm_term`` and mailing tools' subscriber ids are never read, and a tag that looks like
it names someone (an email address, a long number such as a phone number or an id) is
dropped."""

import re
from collections.abc import Mapping

MAX_LENGTH = 100
UTM = ("utm_source", "utm_medium", "utm_campaign")
SEPARATOR = " / "
PERSONAL = re.compile(r"@|\d{7}")


def clean_tag(value: str) -> str:
    """One way of writing each tag, so that "Newsletter " and "newsletter" count as one:
    lower case, no control characters, single spaces, at most MAX_LENGTH characters;
    empty if it looks like it names someone."""
    words = ("".join(char for char in word if char.isprintable()) for word in value.split())
    tag = " ".join(word for word in words if word).lower()[:MAX_LENGTH].strip()
    return "" if PERSONAL.search(tag) else tag


def source_tag(query: Mapping[str, str]) -> str:
    """The tag of a page's query string: ``source`` if given, else its ``utm_source``,
    ``utm_medium`` and ``utm_campaign``, in that order (``newsletter / email / spring``)."""
    own = clean_tag(query.get("source", ""))
    if own:
        return own
    parts = [clean_tag(query.get(name, ""))[:30] for name in UTM]
    return clean_tag(SEPARATOR.join(part for part in parts if part))
