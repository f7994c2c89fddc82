"""What a letter's submit reads that only staff change, kept by each process: the
campaign with its letter and targets (and the languages it takes letters in, worked out
from them), the newest sign-up wording, the blocked words and domains. A submit reads
only their versions, in one statement, and reads afresh what has moved since:

- the campaign's ``updated_at`` and status: every edit of the campaign, its letter or
  its targets moves ``updated_at`` (as its cached pages need too);
- the newest wording's id: wordings are never changed or deleted once saved, so each is
  kept by its id (``supporters.forms.kept_wording``);
- each blocklist's count of rows and latest change;
- the numbers of what the apps above keep behind a version of their own (core/kept.py:
  the webhook endpoints that listen for new letters), with which the letter is taken.

Counts that change with every letter (the campaign's ``action_count``) are not to be
read from what is kept."""

from dataclasses import dataclass

from django.db.models import F, Func, QuerySet, Subquery

from urgentaction.actions.models import BlockedDomain, BlockedWord
from urgentaction.actions.screening import Blocklist
from urgentaction.campaigns.languages import languages, letter_language
from urgentaction.campaigns.models import Campaign
from urgentaction.core import kept as kept_versions
from urgentaction.lib.compiled import compile_once, fetch
from urgentaction.supporters.forms import forget_wordings
from urgentaction.supporters.models import ConsentText

_campaigns: dict[int, tuple[tuple, Campaign, dict[str, str]]] = {}
_blocklists: dict[tuple, Blocklist] = {}


@dataclass(frozen=True)
class ForSubmit:
    campaign: Campaign
    # The languages its page is shown in, and so takes letters in, each with the language
    # of the letter it offers there (campaigns/languages.py).
    letter_languages: dict[str, str]
    # The newest sign-up wording's id, if there is one.
    newest_consent: int | None
    blocklist: Blocklist
    # core/kept.py's numbers by name, as read with the rest.
    numbers: dict[str, int]


def letter_campaigns() -> QuerySet[Campaign]:
    """Campaigns a letter may be sent to, with the letter and the targets read once for
    the form, the checks and the rows."""
    return (
        Campaign.objects.public()
        .select_related("letter")
        .prefetch_related("targets", "copy_targets")
    )


def for_submit(slug: str) -> ForSubmit | None:
    """What a submit to the campaign ``slug`` reads, as kept if it has not changed; None
    if no letter may be sent to such a campaign (none, or a draft)."""
    found = fetch(_VERSIONS, {_SLUG: slug})
    if not found:
        return None
    [versions] = found
    # Compared as the database returns them: only whether they moved matters.
    pk, newest_consent = versions["pk"], versions["newest_consent"]
    campaign_version = (versions["updated_at"], versions["status"])
    blocklist_version = tuple(versions[name] for name in BLOCKLIST_VERSION)
    kept_version, campaign, letter_languages = _campaigns.get(pk, (None, None, None))
    if kept_version != campaign_version:
        campaign = letter_campaigns().get(pk=pk)
        letter_languages = _letter_languages(campaign)
        _campaigns[pk] = (campaign_version, campaign, letter_languages)
    blocklist = _blocklists.get(blocklist_version)
    if blocklist is None:
        blocklist = Blocklist.read()
        _blocklists.clear()
        _blocklists[blocklist_version] = blocklist
    numbers = {name: versions[kept_versions.column(name)] for name in kept_versions.names()}
    return ForSubmit(
        campaign=campaign,
        letter_languages=letter_languages,
        newest_consent=newest_consent,
        blocklist=blocklist,
        numbers=numbers,
    )


def _letter_languages(campaign: Campaign) -> dict[str, str]:
    targets = list(campaign.targets.all())
    letter = getattr(campaign, "letter", None)
    return {
        language: letter_language(campaign, language, targets=targets, letter=letter)
        for language in languages(campaign, targets=targets, letter=letter)
    }


BLOCKLIST_VERSION = ("words", "words_changed", "domains", "domains_changed")
# Stands for the slug in the versions' SQL, compiled once per process.
_SLUG = "\0slug"


def _versions() -> QuerySet:
    return (
        Campaign.objects.public()
        .filter(slug=_SLUG)
        .annotate(
            newest_consent=Subquery(ConsentText.objects.newest_first().values("pk")[:1]),
            words=_count(BlockedWord),
            words_changed=_latest_change(BlockedWord),
            domains=_count(BlockedDomain),
            domains_changed=_latest_change(BlockedDomain),
            **kept_versions.numbers(),
        )
        .order_by()
        .values(
            "pk",
            "updated_at",
            "status",
            "newest_consent",
            *BLOCKLIST_VERSION,
            *map(kept_versions.column, kept_versions.names()),
        )
    )


_VERSIONS = compile_once(_versions)


def forget() -> None:
    """Drop all that this process keeps (between tests)."""
    _campaigns.clear()
    _blocklists.clear()
    forget_wordings()
    kept_versions.forget()


def _count(model) -> Subquery:
    return Subquery(model.objects.order_by().values(count=Func(F("pk"), function="COUNT")))


def _latest_change(model) -> Subquery:
    return Subquery(model.objects.order_by().values(latest=Func(F("changed_at"), function="MAX")))
