from email.headerregistry import Address


def mailbox(name: str, address: str) -> str:
    """``Name <address>`` for a header, quoting the name where needed. Unlike
    ``email.utils.formataddr`` it accepts an internationalised domain, which Django then
    encodes (IDNA) when it sends."""
    username, _, domain = address.rpartition("@")
    return str(Address(display_name=name, username=username, domain=domain))
