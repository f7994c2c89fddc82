"""The demo organisation's own pages, written for this project. The privacy notice quotes
the site's real retention settings through placeholders, filled in when it is shown."""

from typing import TextIO

from urgentaction.pages import demo_ko
from urgentaction.pages.models import Page

ABOUT = """\
{org_name} is a group of ordinary people who write letters for people in danger.

When someone is arrested for what they believe, held without charge, or about to be sent \
back to a country that will harm them, the officials who decide their fate are often a \
few letters away from acting. We find those officials, tell you the case in plain words, \
and make it quick to write to them in your own words.

## What we do

- **Urgent actions.** Each one is a person or a family, a named official who can help \
them, and a deadline. You can send the letter from this site, from your own email, or \
print it and post it.
- **We follow up.** We tell everyone who wrote what happened, good news or bad, and we ask \
whether the official replied, so that the next letter lands better.
- **We pace the letters.** Each office receives them a few at a time, so that they are \
read, not filtered away as a flood.

## How we are funded

By people who give regularly, a few pounds a month. We take no money from governments or \
from companies, so that nobody can ask us to look away.

## Talk to us

Write to us at {contact_email}. We read every message.
"""

MANIFESTO = """\
We believe that no one should be harassed, imprisoned or persecuted for what they believe, \
for what they say, or for who they are.

## What we stand for

1. **Every person counts.** A single family in a single cell matters as much as any \
statistic, and we name them when it is safe to.
2. **Officials answer to the public.** A minister who can help and does nothing should \
hear, by name and by letter, from the people they serve.
3. **Our words, not a script.** Offices ignore identical letters. We ask everyone who \
writes to say in their own words why the case matters to them.
4. **Safety first.** We never publish what could put a person, their family or a \
supporter at risk, and we keep as little about you as we can, for as short a time as \
we can.
5. **We tell you what happened.** Everyone who writes hears how the case ended, even when \
it ended badly.

## What we ask of you

Read the case. Write in your own words. Tell a friend. It takes a few minutes, and for \
the person at the other end it can change everything.
"""

PRIVACY = """\
This notice says what {org_name} collects when you write a letter or sign up for updates \
on this site, why, and for how long we keep it. The periods below are read from this \
site's settings each time the page is shown.

## What we collect, and why

| What | Why |
| --- | --- |
| Your name, email and postal address | To sign and send your letter in your name. Officials expect a postal address and often reply by post. |
| Your letter | To send it to the official you chose, and to show it back to you. |
| That you asked for updates, the words you agreed to and when | To send you updates only if you asked, and to prove you did. |
| Where you came from (a campaign's link tag, the page before ours) | To know which of our messages reach people. |

We do not store your IP address or your browser's details. This site loads nothing from \
other websites: no analytics, no advertising, no fonts or scripts from elsewhere.

## Who sees it

The official you write to receives your letter with your name, email and postal address, \
as any letter would carry them. A few of our staff can see your details, to answer you \
and to check letters held back as possible spam; every time they look at or export \
personal data, it is logged. We never sell or share your details with anyone else.

## How long we keep it

- **Letters you have not confirmed** are deleted after {confirmation_expiry_days} days.
- **The text of your letter**, and the copies in our emails to you, are deleted \
{letter_retention_days} days after the letter was delivered.
- **Your link to a printable copy** of your letter works for {letter_link_days} days.
- **Printed bundles** of letters that we hand in to an office are deleted after \
{bundle_retention_days} days.
- **Your name and addresses** are deleted {supporter_retention_months} months after you \
last wrote or heard from us, unless you are signed up for updates.

Names, addresses and letters are stored encrypted.

## Your rights

You can see everything we hold about you, download it, and erase it, at any time, from \
the page [See or erase your data](/my-data/). You can unsubscribe from updates with one \
click from any email we send. If you have a question or a complaint, write to \
{contact_email}; you can also complain to your data protection authority.
"""

ACCESSIBILITY = """\
{org_name} wants everyone to be able to read our urgent actions and write a letter, \
whatever device they use and however they use it.

## How accessible this site is

We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. You \
should be able to:

- read every page and send a letter with a keyboard alone, and always see where you are
- use a screen reader: every field has a label, and errors say what to do
- zoom to 400% and read a page without scrolling sideways
- send a letter with JavaScript switched off
- use the site on a slow connection: it loads nothing from other websites

We test every page with automated checks (axe-core) and by keyboard.

## What we know is not yet right

- The site and its cases are in English and Korean; other languages are not yet here.
- The printable letter is a PDF, which some screen readers read less well than a web \
page: the same letter is always shown on the page too.

## Tell us

If something on this site does not work for you, write to {contact_email}. Tell us the \
page and what happened; we will reply within five working days.

This statement was last reviewed when this page was last updated.
"""

PAGES = [
    {
        "slug": "us",
        "title": "About us",
        "summary": "Who we are, what we do, and how we are funded.",
        "body": ABOUT,
        "place": Page.Place.HEADER,
        "position": 1,
    },
    {
        "slug": "manifesto",
        "title": "Our manifesto",
        "summary": "We believe no one should be persecuted for what they believe.",
        "body": MANIFESTO,
        "place": Page.Place.HEADER,
        "position": 2,
    },
    {
        "slug": "privacy",
        "title": "Privacy notice",
        "summary": "What we collect, why, and for how long.",
        "body": PRIVACY,
        "place": Page.Place.FOOTER,
        "position": 1,
        "role": Page.Role.PRIVACY,
    },
    {
        "slug": "accessibility",
        "title": "Accessibility statement",
        "summary": "How accessible this site is, and how to tell us when it is not.",
        "body": ACCESSIBILITY,
        "place": Page.Place.FOOTER,
        "position": 2,
    },
]


def load(out: TextIO) -> None:
    """Load the demo's pages (``manage.py load_demo``); a page already there is kept as
    staff left it."""
    loaded = [
        page.title
        for page, created in (
            Page.objects.get_or_create(
                slug=fields["slug"],
                defaults={**fields, **demo_ko.PAGES[fields["slug"]], "published": True},
            )
            for fields in PAGES
        )
        if created
    ]
    if loaded:
        out.write(f"Loaded the demo's pages: {', '.join(loaded)}.")
