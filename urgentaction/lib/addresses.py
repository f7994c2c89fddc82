import re
from email.headerregistry import Address

# What a parser may take for the end of a name, or the start of a comment, a group or
# another address (RFC 5322's specials, but the dot that initials need); "?", without
# which no encoded word (RFC 2047) can be spelt; and control characters. Quoting guards
# a name only from careful parsers: a mail app that decodes the name before reading it,
# or a parser without the fix for CVE-2023-27043 (Python 3.11's own), sees them bare.
NOT_IN_NAMES = re.compile(r'["<>,;:@\\()\[\]?\x00-\x1f\x7f-\x9f]')


def mailbox(name: str, address: str) -> str:
    """``Name <address>`` for a header, with whatever could make the name read as
    another address turned into spaces. Unlike ``email.utils.formataddr`` it accepts an
    internationalised domain, which Django then encodes (IDNA) when it sends."""
    username, _, domain = address.rpartition("@")
    display_name = " ".join(NOT_IN_NAMES.sub(" ", name).split())
    return str(Address(display_name=display_name, username=username, domain=domain))
