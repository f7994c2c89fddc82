"""Campaign updates to everyone who consented: fanned out by the worker into outbox rows
(one per person, whatever happens to the worker), paced, with one-click unsubscribe."""

from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from markdown_it import MarkdownIt

from urgentaction.lib.addresses import mailbox
from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.emails import in_language, render_email
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.supporters.links import preferences_url, unsubscribe_url
from urgentaction.supporters.models import Supporter

# CommonMark with raw HTML switched off: staff text cannot smuggle markup or scripts, and
# links with unsafe schemes (javascript:, data:) are refused by the parser.
MARKDOWN = MarkdownIt("commonmark", {"html": False})
FAN_OUT_BATCH = 500


def render_html(update: Update) -> str:
    return MARKDOWN.render(update.body)


def rendered_in(update: Update, language: str | None) -> str:
    with in_language(language):
        return render_html(update)


def list_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail clients show an unsubscribe button that works in one
    click (``url``, a person's unsubscribe link), by HTTPS POST or by email."""
    token = url.rstrip("/").rsplit("/", 1)[1]
    mailto = f"mailto:{settings.UNSUBSCRIBE_ADDRESS}?subject={quote('unsubscribe ' + token)}"
    domain = settings.UPDATES_FROM_EMAIL.rpartition("@")[2]
    return {
        "List-Unsubscribe": f"<{url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{settings.ORG_NAME} updates <updates.{domain}>",
    }


def update_email(
    update: Update,
    supporter: Supporter,
    *,
    when=None,
    test: bool = False,
    language: str | None = None,
    body_html: str | None = None,
) -> OutboundEmail:
    """The update as ``supporter`` reads it: in ``language`` (the one they signed up in),
    its words in that language where staff wrote them, otherwise in the default one.
    ``body_html``: those words already rendered in that language, as a fan-out renders
    them once for everyone who reads that language."""
    with in_language(language):
        unsubscribe = "" if test else unsubscribe_url(supporter)
        subject, text, html = render_email(
            "update",
            {
                "update": update,
                "campaign": update.campaign,
                "supporter": supporter,
                "body_html": render_html(update) if body_html is None else body_html,
                "preferences_url": preferences_url(supporter) if not test else "",
                "unsubscribe_url": unsubscribe,
                "test": test,
            },
        )
        headers = {} if test else list_headers(unsubscribe)
    return OutboundEmail(
        kind="update_test" if test else "update",
        to=supporter.email,
        to_hash=email_hash(supporter.email),
        subject=subject,
        text=text,
        html=html,
        from_email=mailbox(settings.ORG_NAME, settings.UPDATES_FROM_EMAIL),
        headers=headers,
        update=None if test else update,
        supporter=None if test else supporter,
        next_attempt_at=when or timezone.now(),
        message_id=OutboundEmail.new_message_id(settings.UPDATES_FROM_EMAIL),
    )


def send_test(update: Update, *, to: str, name: str) -> None:
    """A copy for staff to check before sending to everyone."""
    reader = Supporter(email=to, first_name=name, email_hash="")
    update_email(update, reader, test=True).save()


def batch(update: Update, people: list[Supporter]) -> list[OutboundEmail]:
    """Each person's copy of the update, its send time still to be set. The same words
    for everyone who reads a language are made once, not once a person (a fifth of what
    an email cost to make)."""
    bodies = {
        language: rendered_in(update, language)
        for language in {person.language for person in people}
    }
    return [
        update_email(update, person, language=person.language, body_html=bodies[person.language])
        for person in people
    ]


def fan_out() -> int:
    """Queue the next batch of each sending update, paced at UPDATE_EMAILS_PER_MINUTE;
    an update whose every subscriber has a copy is done. Returns how many were queued."""
    queued = 0
    gap = timedelta(seconds=60 / settings.UPDATE_EMAILS_PER_MINUTE)
    for update in Update.objects.filter(status=Update.Status.SENDING).select_related("campaign"):
        waiting = (
            Supporter.objects.subscribed()
            .with_language()
            .exclude(emails__update=update)
            .order_by("pk")[:FAN_OUT_BATCH]
        )
        # Read and made before the transaction: on SQLite it holds the whole database's
        # write lock, which the worker sending these emails and every letter taken wait
        # for. Two jobs that made the same copies meanwhile store one of each (the
        # unique constraint).
        rows = batch(update, list(waiting))
        with transaction.atomic():
            # One fan-out of an update at a time (two jobs may run at once): each batch
            # is paced after the one before, which it sees.
            sending = Update.objects.select_for_update().filter(
                pk=update.pk, status=Update.Status.SENDING
            )
            if not sending.values_list("pk", flat=True):
                continue  # another job has just finished it
            if not rows:
                if not waiting.exists():
                    Update.objects.filter(pk=update.pk).update(
                        status=Update.Status.SENT,
                        sent_at=timezone.now(),
                        recipients=update.emails.count(),
                    )
                continue
            last = update.emails.aggregate(last=Max("next_attempt_at"))["last"]
            start = max(timezone.now(), (last + gap) if last else timezone.now())
            for n, row in enumerate(rows):
                row.next_attempt_at = start + gap * n
            OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
            queued += len(rows)
    return queued
