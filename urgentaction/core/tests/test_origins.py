"""Sites' origins as staff type them, written as browsers and frame-ancestors write them
(lib/origin.py): anything else never reaches a Content-Security-Policy header."""

import pytest

from urgentaction.lib.origin import web_origin


@pytest.mark.parametrize(
    ("typed", "origin"),
    [
        ("https://partner.example.org", "https://partner.example.org"),
        ("  https://Partner.Example.ORG/  ", "https://partner.example.org"),
        ("HTTPS://partner.example.org:443", "https://partner.example.org"),
        ("http://partner.example.org:80", "http://partner.example.org"),
        ("https://partner.example.org:8443", "https://partner.example.org:8443"),
        ("http://127.0.0.1:8001", "http://127.0.0.1:8001"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("https://bücher.example", "https://xn--bcher-kva.example"),
    ],
)
def test_it_writes_an_origin_as_browsers_do(typed, origin):
    assert web_origin(typed) == origin


@pytest.mark.parametrize(
    "typed",
    [
        "partner.example.org",
        "https://partner.example.org/campaigns",
        "https://partner.example.org/?page=1",
        "https://partner.example.org/#act",
        "https://someone@partner.example.org",
        "ftp://partner.example.org",
        "javascript:alert(1)",
        "https://*.example.org",
        "https://partner.example.org;script-src *",
        "https://partner.example.org 'unsafe-inline'",
        "https://partner.example.org:99999",
        "https://",
        "",
    ],
)
def test_it_refuses_anything_else(typed):
    with pytest.raises(ValueError):
        web_origin(typed)
