"""What the API reads and writes, named after OSDI's advocacy campaign, outreach and
person where OSDI has a name (docs/api.md lists each field and where it comes from)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


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


class Campaign(Schema):
    identifiers: list[str]
    origin_system: str
    slug: str
    title: str
    description: str
    browser_url: str
    status: Literal["live", "closed"]
    deadline: date | None
    goal: int | None
    total_outreaches: int = Field(description="Letters that count: confirmed, or self-sent.")
    targets: list[Target]
    created_date: datetime
    modified_date: datetime


class Count(Schema):
    total_outreaches: int
    goal: int | None
