import pytest

from urgentaction.lib.sources import MAX_LENGTH, clean_tag, source_tag


@pytest.mark.parametrize(
    ("query", "tag"),
    [
        ({}, ""),
        ({"source": "Newsletter"}, "newsletter"),
        ({"source": "  radio\u00a0 4 "}, "radio 4"),
        ({"utm_source": "mastodon"}, "mastodon"),
        ({"utm_source": "mail", "utm_campaign": "Spring"}, "mail / spring"),
        ({"utm_source": "mail", "utm_medium": "email", "utm_campaign": "x"}, "mail / email / x"),
        # An own tag wins over the mailing tool's.
        ({"source": "partner", "utm_source": "mail"}, "partner"),
        ({"source": "a\x00b\nc"}, "ab c"),
        ({"source": "spring 2026"}, "spring 2026"),
        # Tags that name someone are never stored: they would be counted in plain text.
        ({"source": "ada@people.example"}, ""),
        ({"utm_source": "sms", "utm_campaign": "07700900123"}, "sms"),
        ({"source": "subscriber-10293847"}, ""),
    ],
)
def test_it_makes_one_tag_from_a_query(query, tag):
    assert source_tag(query) == tag


def test_a_tag_never_grows_past_its_column():
    assert len(clean_tag("x" * 500)) == MAX_LENGTH
    assert len(source_tag({name: "y" * 90 for name in ("utm_source", "utm_medium")})) < 100
