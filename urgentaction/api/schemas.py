"""What the API reads and writes, named after OSDI's advocacy campaign, outreach and
person where OSDI has a name (docs/api.md lists each field and where it comes from)."""

import uuid
from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

LetterStatus = Literal[
    "awaiting_confirmation",
    "held_for_review",
    "rejected",
    "cancelled",
    "queued",
    "supporter_sends",
    "expired",
]


class EmailAddress(Schema):
    address: str
    primary: bool = True


class PostalAddress(Schema):
    address_lines: list[str]
    locality: str = ""
    postal_code: str = ""
    country: str = ""


class Target(Schema):
    title: str = Field(description="The office, e.g. Foreign Secretary.")
    name: str = Field(description="Who holds the office now, if known.")
    organization: str
    email_addresses: list[EmailAddress]
    postal_addresses: list[PostalAddress]


class Outcome(Schema):
    kind: str = Field(
        description="released, allowed_to_leave, charges_dropped, sentence_reduced, "
        "stay_of_execution, sentenced, returned, died_in_custody, no_change or unknown."
    )
    date: date | None
    description: str = Field(description="What happened, as the case's pages say it.")


class Campaign(Schema):
    identifiers: list[str]
    origin_system: str
    slug: str
    title: str
    description: str
    browser_url: str
    status: Literal["live", "closed"]
    reference: str = Field(
        description='The case\'s reference, "UA 12/26"; a follow-up\'s, "UA 12/26 FI 1".'
    )
    follow_up_of: str | None = Field(
        description="A follow-up's case: the slug of the case's first campaign."
    )
    deadline: date | None
    goal: int | None
    total_outreaches: int = Field(description="Letters that count: confirmed, or self-sent.")
    targets: list[Target]
    copy_targets: list[Target] = Field(description="Who is sent a copy of each letter.")
    outcome: Outcome | None = Field(description="What became of the case, once staff record it.")
    created_date: datetime
    modified_date: datetime


class Count(Schema):
    total_outreaches: int
    goal: int | None


class Person(Schema):
    given_name: str
    family_name: str
    email_addresses: list[EmailAddress]
    postal_addresses: list[PostalAddress]


class ReferrerData(Schema):
    source: str = ""
    url: str = ""


class Outreach(Schema):
    """One supporter's letter. Erased: only ``identifiers``, ``created_date``,
    ``modified_date`` and ``erased``. The letter and its writer only with the ``personal``
    scope."""

    identifiers: list[str]
    created_date: datetime
    modified_date: datetime = Field(
        description="When the letter last changed (taken, confirmed, reviewed, erased...): "
        "what since= and the cursor follow."
    )
    erased: bool
    status: LetterStatus | None = None
    channel: Literal["email", "mail_app", "post"] | None = None
    initials_only: bool | None = None
    subject: str | None = None
    message: str | None = None
    person: Person | None = None
    referrer_data: ReferrerData | None = None


class OutreachPage(Schema):
    outreaches: list[Outreach]
    next: str | None = Field(description="The next page's address; null on the last page.")


class EmailAddressIn(Schema):
    address: str


class PostalAddressIn(Schema):
    address_lines: list[str] = Field(min_length=1, max_length=2)
    locality: str
    postal_code: str = ""
    country: str


class PersonIn(Schema):
    given_name: str
    family_name: str
    email_addresses: list[EmailAddressIn] = Field(min_length=1, max_length=1)
    postal_addresses: list[PostalAddressIn] = Field(min_length=1, max_length=1)


class LetterIn(Schema):
    subject: str
    message: str
    person: PersonIn
    initials_only: bool = Field(
        False, description="Sign with initials and town only: the office sees nothing more."
    )
    referrer_data: ReferrerData = ReferrerData()
    idempotency_key: uuid.UUID | None = Field(
        None,
        description="The same key with the same address makes no second letter: send one "
        "per submission of your form, and again when you retry it.",
    )


class LetterAccepted(Schema):
    status: LetterStatus
    detail: str


EventName = Literal[
    "action.created",
    "action.confirmed",
    "letter.delivered",
    "letter.failed",
    "signup.confirmed",
    "person.unsubscribed",
    "person.erased",
]


class WebhookIn(Schema):
    url: str = Field(description="https:// and on a public address.")
    events: list[EventName] = Field(min_length=1)


class Webhook(Schema):
    id: int
    url: str
    events: list[EventName]
    personal: bool = Field(
        description="Payloads carry personal data: the key had the personal scope."
    )
    created_date: datetime
    failing_since: datetime | None = Field(description="Tries have failed since then.")
    disabled_date: datetime | None = Field(
        description="Disabled after failing for a day; staff can enable it again."
    )


class WebhookCreated(Webhook):
    secret: str = Field(
        description="The signing secret (Standard Webhooks, whsec_...): shown this once."
    )
