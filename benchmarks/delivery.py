"""The delivery benchmark's parts.

``python benchmarks/delivery.py prepare N FILE`` runs inside the site's environment (a
Django process): it turns pacing off for the demo's target (``hourly_cap`` NULL), stores N
confirmed letters with a pending delivery each, as a confirmed submit leaves them, and
writes the messages the worker will build for them (envelope and bytes, as Django's SMTP
backend sends them) to FILE as JSON lines.

``bare_loop(FILE, port)`` is the reference: smtplib sending those same messages over one
connection.

``python benchmarks/delivery.py backend`` (in the site's environment) is the ceiling:
Django's SMTP backend sending the same letters, built beforehand, one at a time over one
connection, as the worker sends them but with no database work in between.
"""

import base64
import json
import smtplib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare(count: int, output: Path) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.mail.message import sanitize_address

    from urgentaction.actions.models import Action, Delivery
    from urgentaction.campaigns.demo import DEMO_SLUG
    from urgentaction.campaigns.models import Campaign, Channel
    from urgentaction.lib.hashing import email_hash
    from urgentaction.supporters.models import Supporter

    campaign = Campaign.objects.get(slug=DEMO_SLUG)
    targets = list(campaign.targets.all())
    campaign.targets.update(hourly_cap=None)
    body = campaign.letter.render_body(targets)
    for start in range(0, count, 1000):
        numbers = range(start, min(start + 1000, count))
        supporters = Supporter.objects.bulk_create(
            Supporter(
                email=f"writer{n}@example.org",
                email_hash=email_hash(f"writer{n}@example.org"),
                first_name="Ada",
                last_name=f"Writer {n}",
                address_line1="1 High Street",
                town="Leeds",
                postcode="LS1 1AA",
                country="United Kingdom",
            )
            for n in numbers
        )
        actions = Action.objects.bulk_create(
            Action(
                campaign=campaign,
                supporter=supporter,
                form_token=f"00000000-0000-4000-8000-{n:012d}",
                channel=Channel.EMAIL,
                subject=campaign.letter.subject,
                body=body,
                first_name=supporter.first_name,
                last_name=supporter.last_name,
                email=supporter.email,
                address_line1=supporter.address_line1,
                town=supporter.town,
                postcode=supporter.postcode,
                country=supporter.country,
                confirmed_at=supporter.created_at,
            )
            for n, supporter in zip(numbers, supporters, strict=True)
        )
        Delivery.objects.bulk_create(
            Delivery(
                action=action,
                target=target,
                status=Delivery.Status.PENDING,
                message_id=Delivery.new_message_id(settings.LETTERS_FROM_EMAIL),
            )
            for action in actions
            for target in targets
        )
    with output.open("w") as file:
        for message in built_letters():
            encoding = message.encoding or settings.DEFAULT_CHARSET
            envelope = {
                "from": sanitize_address(message.from_email, encoding),
                "to": [sanitize_address(address, encoding) for address in message.recipients()],
                "data": base64.b64encode(message.message().as_bytes(linesep="\r\n")).decode(),
            }
            file.write(json.dumps(envelope) + "\n")


def built_letters() -> list:
    """Every stored letter as the worker builds it (in a set-up Django process)."""
    from urgentaction.actions.delivery import build_message
    from urgentaction.actions.models import Delivery

    deliveries = Delivery.objects.select_related("action__campaign", "target").order_by("pk")
    return [build_message(delivery) for delivery in deliveries]


def backend_loop() -> None:
    """Send every stored letter through Django's SMTP backend, built before the clock
    starts."""
    import django

    django.setup()
    from django.core.mail import get_connection

    messages = built_letters()
    with get_connection() as connection:
        for message in messages:
            connection.send_messages([message])


def bare_loop(messages: Path, host: str, port: int) -> int:
    """Send every message in ``messages`` over one SMTP connection; return how many."""
    envelopes = [json.loads(line) for line in messages.read_text().splitlines()]
    payloads = [(e["from"], e["to"], base64.b64decode(e["data"])) for e in envelopes]
    with smtplib.SMTP(host, port, timeout=30) as connection:
        for sender, recipients, data in payloads:
            connection.sendmail(sender, recipients, data)
    return len(payloads)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["backend"]:
        backend_loop()
    elif len(sys.argv) == 4 and sys.argv[1] == "prepare":
        prepare(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit("usage: python benchmarks/delivery.py prepare N FILE | backend")
