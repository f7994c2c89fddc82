"""Emails to supporters: rendered from a template triplet, queued as durable rows, and
sent by the worker."""

from collections.abc import Callable
from contextlib import nullcontext

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from urgentaction.lib import outbox
from urgentaction.lib.addresses import mailbox
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
    *, to: str, template: str, rendered: tuple[str, str, str], action=None
) -> OutboundEmail:
    """Store an email rendered beforehand (``render_email``) for the worker to send."""
    subject, text, html = rendered
    return OutboundEmail.objects.create(
        kind=template,
        to=to,
        to_hash=email_hash(to),
        subject=subject,
        text=text,
        html=html,
        action=action,
        message_id=OutboundEmail.new_message_id(settings.DEFAULT_FROM_EMAIL),
    )


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    if not email.to:
        # Its reader erased their data while it waited.
        raise outbox.Withdrawn
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
            if not still_wanted(email):
                outbox.cancel(email)
                continue
            outbox.send(
                email, build=build_message, connection=connection, on_failure=outbox.mark_failed
            )
    finally:
        connection.close()
    return len(ids)


def still_wanted(email: OutboundEmail) -> bool:
    """An update queued before its reader unsubscribed is not sent; nor is news sent to
    many (a case's notice) to someone unsubscribed or suppressed since it was queued."""
    if email.update_id is not None:
        return Supporter.objects.subscribed().filter(pk=email.supporter_id).exists()
    if email.supporter_id is not None:
        return Supporter.objects.reachable().filter(pk=email.supporter_id).exists()
    return True
