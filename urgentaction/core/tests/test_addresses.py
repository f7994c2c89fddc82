"""A name in an address header reads as one name with one address, to a mail app that
decodes the name before it shows it, and to parsers older than Python's fix for
CVE-2023-27043 (Python 3.11's own ``email.utils.getaddresses``)."""

import email
from email.header import decode_header, make_header
from email.utils import getaddresses

import pytest
from django.core.mail import EmailMessage

from urgentaction.lib.addresses import mailbox

TRICKS = [
    "Zoë, Eve <evil@bad.example>",
    'Zoë "Eve" <evil@bad.example>',
    "Zoë (evil@bad.example)",
    "Zoë; Group: evil@bad.example;",
    'Zoë\\", [evil@bad.example]',
    "=?utf-8?q?Eve_=3Cevil=40bad=2Eexample=3E=2C?=",
    "Eve\x85Bcc: evil@bad.example",
]


def reply_to(name: str) -> str:
    """The Reply-To header of a message as it is sent."""
    message = EmailMessage(reply_to=[mailbox(name, "ada@people.example")]).message()
    return email.message_from_bytes(message.as_bytes())["Reply-To"]


@pytest.mark.parametrize("name", TRICKS)
def test_it_gives_one_address_however_the_name_is_read(name):
    header = reply_to(name)

    for read in (header, str(make_header(decode_header(header)))):
        [(_, address)] = getaddresses([read])
        assert address == "ada@people.example"


def test_it_keeps_the_rest_of_the_name():
    assert mailbox('Ada "The Countess" Lovelace', "ada@people.example") == (
        "Ada The Countess Lovelace <ada@people.example>"
    )
    assert mailbox("Zoë J. O'Brien", "zoe@people.example") == (
        '"Zoë J. O\'Brien" <zoe@people.example>'
    )
