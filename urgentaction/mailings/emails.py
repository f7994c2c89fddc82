"""Emails to supporters: rendered from a template triplet, queued as durable rows, and
sent by the worker.

Most are rendered when queued and stored as they will go. Some are stored as a row that
points at what they are about and rendered by the worker just before it sends them
(``render_when_sent``): those that quote a letter, which is then stored once, on the
letter, and those whose words must not be stored, such as a link's secret token. Such a
row is written in the transaction that causes the email, as any other, so that it is
sent even if the process dies just after; an email that cannot be rendered is retried
and logged like a mail server that is down, never dropped.
"""

from collections.abc import Callable
from contextlib import nullcontext

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import BooleanField, Case, Exists, OuterRef, QuerySet, Value, When
from django.template.loader import render_to_string
from django.utils import translation

from urgentaction.lib import outbox
from urgentaction.lib.addresses import mailbox
from urgentaction.lib.compiled import Insert, compile_once, fetch
from urgentaction.lib.hashing import email_hash
from urgentaction.mailings.models import OutboundEmail
from urgentaction.supporters.models import Supporter


def in_language(language: str | None):
    """Where an email for one person is made (its words, its links): in their language,
    which a worker, with no request, must be told."""
    return translation.override(language) if language else nullcontext()


def render_email(
    template: str, context: dict[str, object], *, language: str | None = None
) -> tuple[str, str, str]:
    """Subject, plain text and HTML from ``emails/<template>/{subject.txt,body.txt,body.html}``,
    in ``language`` (by default the one active)."""
    context = {
        "org_name": settings.ORG_NAME,
        "site_url": settings.SITE_URL,
        "contact_email": settings.CONTACT_EMAIL,
        **context,
    }
    with in_language(language):
        subject = render_to_string(f"emails/{template}/subject.txt", context)
        text = render_to_string(f"emails/{template}/body.txt", context)
        html = render_to_string(f"emails/{template}/body.html", context)
    return " ".join(subject.split()), text, html


# What makes the words of the emails that are rendered when sent: kind -> a function of
# the row that returns its subject, plain text and HTML (or raises outbox.Withdrawn).
_renderers: dict[str, Callable[[OutboundEmail], tuple[str, str, str]]] = {}


def render_when_sent(kind: str, render: Callable[[OutboundEmail], tuple[str, str, str]]) -> None:
    """Have the worker render emails of ``kind`` with ``render(email)`` just before it
    sends each (for the apps above this one, from their ``ready()``)."""
    _renderers[kind] = render


class NotRendered(Exception):
    """An email rendered when sent could not be made: a temporary failure, retried."""


def queue_email(
    *,
    to: str,
    template: str,
    context: dict[str, object],
    action=None,
    language: str | None = None,
) -> OutboundEmail:
    """Store an email for the worker to send; call inside the transaction that causes it.
    It is in ``language``, by default the language its ``action`` was written in."""
    language = language or (action.language if action is not None else None)
    rendered = render_email(template, context, language=language)
    return store_email(to=to, template=template, rendered=rendered, action=action)


def store_email(
    *,
    to: str,
    template: str,
    rendered: tuple[str, str, str] = ("", "", ""),
    action=None,
    delivery=None,
) -> OutboundEmail:
    """Store an email for the worker to send: rendered beforehand (``render_email``), or,
    for a kind that is rendered when sent, with no words."""
    subject, text, html = rendered
    email = OutboundEmail(
        kind=template,
        to=to,
        to_hash=email_hash(to),
        subject=subject,
        text=text,
        html=html,
        action=action,
        delivery=delivery,
        message_id=OutboundEmail.new_message_id(settings.DEFAULT_FROM_EMAIL),
    )
    # Written on every letter, in its transaction: SQL built once (a model's save()
    # costs more than the statement).
    _INSERT_EMAIL.save([email])
    return email


_INSERT_EMAIL = Insert(OutboundEmail)


def with_words(email: OutboundEmail) -> OutboundEmail:
    """``email`` with its subject and bodies: rendered now if its kind is rendered when
    sent (a row stored rendered, as all were before, keeps its own words)."""
    render = _renderers.get(email.kind)
    if render is None or email.text:
        return email
    try:
        email.subject, email.text, email.html = render(email)
    except outbox.Withdrawn:
        raise
    except Exception as error:
        # Whatever went wrong (a database briefly locked, a template error after a
        # deploy), the row stays and is tried again.
        raise NotRendered(f"{email.kind} email {email.pk} could not be rendered") from error
    return email


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    if not email.to:
        # Its reader erased their data while it waited.
        raise outbox.Withdrawn
    email = with_words(email)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_email or mailbox(settings.ORG_NAME, settings.DEFAULT_FROM_EMAIL),
        to=[email.to],
        # Sent from an address nobody reads: replies go to one that a person does.
        reply_to=[settings.CONTACT_EMAIL] if settings.CONTACT_EMAIL else None,
        headers={
            "Message-ID": email.message_id,
            "Auto-Submitted": "auto-generated",
            **email.headers,
        },
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def send_due_emails(*, limit: int = 50, stop: Callable[[], bool] = outbox.never) -> int:
    """Send up to ``limit`` due emails over one connection; return how many were claimed.
    Once ``stop()`` is true the rest are handed back untried."""
    ids = outbox.claim_due(OutboundEmail.objects.all(), limit=limit)
    if not ids:
        return 0
    connection = get_connection()
    try:
        for email in OutboundEmail.objects.filter(pk__in=ids):
            if stop():
                outbox.release(email)
                continue
            outbox.send(
                email,
                build=build_message,
                connection=connection,
                on_failure=outbox.mark_failed,
                on_sent=_keep_subject,
                still_ours=claimed_and_wanted,
            )
    finally:
        connection.close()
    return len(ids)


def _keep_subject(email: OutboundEmail) -> None:
    """An email rendered as it was sent keeps its subject, so that the person's copy of
    their data (and staff) can say what it was about; its bodies are not kept."""
    if email.kind in _renderers:
        OutboundEmail.objects.filter(pk=email.pk).update(subject=email.subject)


def claimed_and_wanted(email: OutboundEmail) -> bool:
    """Whether a claimed email is still ours (``outbox.still_claimed``) and still wanted
    (``still_wanted``), asked just before it is sent, in one read while at least half
    its lease is left; one its reader no longer wants is cancelled."""
    if outbox.lease_half_gone(email):
        ours = outbox.renew(email)
        wanted = ours and still_wanted(email)
    else:
        found = fetch(_CLAIMED_AND_WANTED, outbox.claim_values(email))
        ours = bool(found)
        wanted = ours and bool(found[0]["wanted"])
    if ours and not wanted:
        outbox.cancel(email)
    return wanted


def _claimed_and_wanted() -> QuerySet:
    reader = OuterRef("supporter_id")
    wanted = Case(
        When(update__isnull=False, then=Exists(Supporter.objects.subscribed().filter(pk=reader))),
        When(supporter__isnull=False, then=Exists(Supporter.objects.reachable().filter(pk=reader))),
        default=Value(True),
        output_field=BooleanField(),
    )
    return outbox.claimed(OutboundEmail.objects.all()).values(wanted=wanted)


_CLAIMED_AND_WANTED = compile_once(_claimed_and_wanted)


def still_wanted(email: OutboundEmail) -> bool:
    """An update queued before its reader unsubscribed is not sent; nor is news sent to
    many (a case's notice) to someone unsubscribed or suppressed since it was queued."""
    if email.update_id is not None:
        return Supporter.objects.subscribed().filter(pk=email.supporter_id).exists()
    if email.supporter_id is not None:
        return Supporter.objects.reachable().filter(pk=email.supporter_id).exists()
    return True
