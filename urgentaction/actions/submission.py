"""What a supporter sends: their letter, and what came with it that says whether a person
wrote it (a proof of work, the form's hidden fields, the network it came from)."""

import uuid
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings

from urgentaction.campaigns.models import Campaign
from urgentaction.lib.hashing import email_hash
from urgentaction.supporters.models import ConsentText, Supporter


@dataclass(frozen=True)
class Letter:
    """A supporter's letter as they submitted it, before any check."""

    campaign: Campaign
    form_token: uuid.UUID
    channel: str
    subject: str
    body: str
    first_name: str
    last_name: str
    email: str
    address_line1: str
    address_line2: str
    town: str
    postcode: str
    country: str
    source: str = ""
    referrer: str = ""
    wants_updates: bool = False
    # Sign with initials and town only: the office never sees the name or address.
    initials_only: bool = False
    # The sign-up wording shown beside the box, if any.
    consent_text: ConsentText | None = None
    page_url: str = ""
    # The page's language (the writer's emails are in it) and the suggested letter's.
    language: str = settings.LANGUAGE_CODE
    letter_language: str = settings.LANGUAGE_CODE

    @property
    def details(self) -> dict[str, str]:
        """The writer's name and address, as the action and the supporter keep them."""
        return {name: getattr(self, name) for name in ("email", *Supporter.DETAIL_FIELDS)}

    @cached_property
    def email_hash(self) -> str:
        return email_hash(self.email)


@dataclass(frozen=True)
class Submission:
    """What came with a letter. ``proof`` is the proof-of-work answer ("" from a browser
    without JavaScript); ``honeypot`` and ``stamp`` are the form's hidden fields (``stamp``
    is None when no form of ours was shown: a letter through the API);
    ``network`` keys the client's network for rate limits; ``confirmed_addresses`` are
    the keyed hashes of the addresses this browser has proved it owns."""

    proof: str = ""
    honeypot: str = ""
    stamp: str | None = ""
    network: str = ""
    confirmed_addresses: frozenset[str] = field(default_factory=frozenset)


class Refused(Exception):
    """A check turned the letter away; nothing was written. ``field`` is the form field
    the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
