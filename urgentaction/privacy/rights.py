"""Data-subject rights: a copy of everything held about a person, and erasure."""

import uuid
from collections import Counter
from datetime import date

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation

from urgentaction.actions import tallies
from urgentaction.actions.models import Action, ConfirmationLink, Delivery
from urgentaction.campaigns.models import Target
from urgentaction.cases.models import Answer, CaseNotice, CaseOptOut
from urgentaction.cases.review import forget_replies
from urgentaction.core.events import Event, emit
from urgentaction.letters.documents import set_aside_bundles
from urgentaction.lib.outbox import OutboxStatus
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import AccessLink, Consent, Supporter, Suppression


def _emails_of(supporter: Supporter):
    mine = Q(supporter=supporter) | Q(action__supporter=supporter)
    return OutboundEmail.objects.filter(mine | Q(to_hash=supporter.email_hash))


def export_json(supporter: Supporter) -> dict[str, object]:
    """``export_data`` for the JSON download: times as ISO 8601 strings, in UTC."""
    return _iso_times(export_data(supporter))


def _iso_times(value):
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _iso_times(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso_times(item) for item in value]
    return value


def _wording(consent: Consent) -> str:
    with translation.override(consent.language):
        return consent.text.full_text


def export_data(supporter: Supporter) -> dict[str, object]:
    """Everything held about one person, as plain data (times as datetimes, for the page
    to show in the site's time zone)."""

    return {
        "about_you": {
            "email": supporter.email,
            "first_name": supporter.first_name,
            "last_name": supporter.last_name,
            "address": [
                supporter.address_line1,
                supporter.address_line2,
                supporter.town,
                supporter.postcode,
                supporter.country,
            ],
            "first_seen": supporter.created_at,
        },
        "consents": [
            {
                # The words as they were shown: in the language of the page.
                "wording": _wording(consent),
                "language": consent.language,
                "given": consent.given_at,
                "how": consent.get_method_display(),
                "where": consent.page_url,
                "confirmed": consent.confirmed_at,
                "withdrawn": consent.withdrawn_at,
            }
            for consent in supporter.consents.select_related("text")
        ],
        "letters": [
            {
                "campaign": action.campaign.title,
                "written": action.created_at,
                "how_sent": action.get_channel_display(),
                "language": action.language,
                "subject": action.subject,
                "letter": action.body,
                "signed": [action.sender_name, *action.sender_address_lines()],
                "confirmed": action.confirmed_at,
                "deliveries": [
                    {
                        "to": delivery.target.display_name,
                        "status": delivery.get_status_display(),
                        "sent": delivery.sent_at,
                    }
                    for delivery in action.deliveries.select_related("target")
                ],
            }
            for action in supporter.actions.select_related("campaign").order_by("created_at")
        ],
        "replies_you_told_us_of": [
            {
                "campaign": answer.questionnaire.action.campaign.title,
                "from": answer.target.display_name,
                "answer": answer.get_kind_display(),
                "reply_came": answer.replied_on,
                "reply": answer.reply,
                "reply_published": answer.review == Answer.Review.PUBLISHED,
                "answered": answer.created_at,
            }
            for answer in Answer.objects.filter(questionnaire__action__supporter=supporter)
            .select_related("target", "questionnaire__action__campaign")
            .order_by("created_at")
        ],
        "emails_to_you": [
            {"about": email.subject, "kind": email.kind, "sent": email.sent_at}
            for email in _emails_of(supporter).order_by("created_at")
        ],
        "cases_you_hear_no_more_about": [
            {
                "case": opt_out.case.case_reference,
                "title": opt_out.case.title,
                "asked": opt_out.created_at,
            }
            for opt_out in supporter.case_opt_outs.select_related("case").order_by("created_at")
        ],
    }


def erasure_summary(supporter: Supporter) -> dict[str, int]:
    """How much erasing ``supporter`` touches, for the page that asks them to confirm."""
    return {
        "letters": supporter.actions.exclude(body="").count(),
        "consents": supporter.consents.count(),
        "emails": _emails_of(supporter).exclude(to="").count(),
        "answers": Answer.objects.filter(questionnaire__action__supporter=supporter).count(),
        "replies": Answer.objects.filter(questionnaire__action__supporter=supporter)
        .exclude(reply="")
        .count(),
    }


@transaction.atomic
def erase_supporter(supporter: Supporter, *, reason: str = "erased", suppress: bool = True) -> None:
    """Remove a person's name, address, email and letters everywhere. What remains
    (consent dates, blank letters) keeps campaign counts right; when ``suppress``, a
    keyed hash of the address, tied to nothing else, keeps it from ever being emailed
    updates again."""
    now = timezone.now()
    if suppress:
        Suppression.objects.get_or_create(
            email_hash=supporter.email_hash, defaults={"reason": reason}
        )
    Consent.objects.filter(supporter=supporter, withdrawn_at=None).update(
        withdrawn_at=now, withdrawn_how=reason
    )
    Consent.objects.filter(supporter=supporter).update(page_url="")
    # Campaigns' totals and the dashboards' hourly counts (actions/tallies.py) name no
    # one: they stay as they are, but a source tag only this person's letters carried
    # is counted as untagged from now on.
    actions = Action.objects.filter(supporter=supporter)
    sources = Counter(
        (action.campaign_id, action.source) for action in actions.only("campaign_id", "source")
    )
    for (campaign_id, source), letters in sources.items():
        tallies.forget_own_source(campaign_id=campaign_id, source=source, letters=letters)
    campaigns = set(actions.values_list("campaign_id", flat=True))
    emails = _emails_of(supporter)
    # Rows a worker holds are cancelled too: the worker checks, in the statement that
    # renews its claim just before it sends, that the row is still its own to send.
    unsent = [OutboxStatus.PENDING, OutboxStatus.HELD, OutboxStatus.SENDING]
    emails.filter(status__in=unsent).update(status=OutboxStatus.CANCELLED, leased_until=None)
    emails.update(to="", subject="", text="", html="", last_error="")
    # A target's last failure may be the mail server quoting one of their letters.
    failed_to = Delivery.objects.filter(action__in=actions, status=OutboxStatus.FAILED)
    Target.objects.filter(pk__in=failed_to.values("target_id")).update(last_failure="")
    Delivery.objects.filter(action__in=actions).update(last_error="")
    Delivery.objects.filter(action__in=actions, status__in=unsent).update(
        status=OutboxStatus.CANCELLED, leased_until=None
    )
    # The replies they pasted into "did you get a reply?", published or not.
    forget_replies(actions)
    # Why a letter was held, and the sketch of its words, are drawn from it too.
    actions.update(**dict.fromkeys(Action.PERSONAL_FIELDS, ""), held_reasons=[], fingerprint=[])
    ConfirmationLink.objects.filter(action__supporter=supporter).delete()
    AccessLink.objects.filter(supporter=supporter).delete()
    # Which cases they were told of, or asked to hear no more about.
    CaseNotice.objects.filter(supporter=supporter).delete()
    CaseOptOut.objects.filter(supporter=supporter).delete()
    # Printed bundles of those campaigns may hold the letters: their files go, and staff
    # see that they are to be made again.
    set_aside_bundles(campaigns)
    # Nothing left may tie the keyed hash of their address to a campaign: only the
    # suppression keeps it. A letter they write later makes a new record.
    emails.update(to_hash="")
    Consent.objects.filter(supporter=supporter).update(email_hash="")
    transaction.on_commit(scrub_old_copies)
    Supporter.objects.filter(pk=supporter.pk).update(
        email_hash=f"erased:{uuid.uuid4().hex}",
        email="",
        **dict.fromkeys(Supporter.DETAIL_FIELDS, ""),
    )
    # The object still holds what the row held: a partner's system told of the erasure
    # (with the personal scope) needs the address to find the person in its own records.
    emit(Event.PERSON_ERASED, supporter=supporter, reason=reason)


def scrub_old_copies() -> None:
    """Erased values must not linger in the database's files. SQLite overwrites deleted
    content with zeros (``secure_delete``, in the settings), but the write-ahead log keeps
    the old pages until a checkpoint copies it back and empties it. (PostgreSQL keeps
    dead rows until autovacuum reclaims them: see docs/privacy.md.)"""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
