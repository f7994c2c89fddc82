"""The update fan-out benchmark's parts inside a site (Django processes, in the site's
environment).

``python benchmarks/updates.py person`` adds one person who signed up for updates and
confirmed, as the sign-up form and the link in its email leave them, for the bulk seed to
copy (database.seed_rows).

``python benchmarks/updates.py send FILE`` writes an update on the demo campaign and sends
it to everyone subscribed, as staff do from the admin (``start_sending``: the job that fans
it out is queued when the transaction commits); it then writes to FILE as JSON the time it
was queued (the monotonic clock, which the SMTP sink reads too, and the wall clock, which
the database's times are in), its id, and how many people it goes to.
"""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def person() -> None:
    import django

    django.setup()
    from urgentaction.lib.hashing import email_hash
    from urgentaction.supporters.consent import confirm_consent, record_consent
    from urgentaction.supporters.models import Consent, ConsentText, Supporter

    address = "subscriber@example.org"
    supporter = Supporter.objects.create(
        email=address, email_hash=email_hash(address), first_name="Ada", last_name="Reader"
    )
    text = ConsentText.objects.current() or ConsentText.objects.create(
        wording="Yes, email me news of your urgent actions.", details="Leave at any time."
    )
    consent = record_consent(
        supporter=supporter, text=text, method=Consent.Method.SIGNUP_FORM, page_url="/sign-up/"
    )
    confirm_consent(consent)


def send(output: Path) -> None:
    import django

    django.setup()
    from django.db import transaction

    from urgentaction.campaigns.demo import DEMO_SLUG
    from urgentaction.campaigns.models import Campaign
    from urgentaction.mailings.models import Update
    from urgentaction.mailings.tasks import start_sending
    from urgentaction.supporters.models import Supporter

    people = Supporter.objects.subscribed().count()
    with transaction.atomic():
        update = Update.objects.create(
            campaign=Campaign.objects.get(slug=DEMO_SLUG),
            subject="Good news: the family has been heard",
            body="Thank you for writing.\n\nThe authorities **answered** this week: "
            "[read what they said](https://example.org/news).",
        )
        start_sending(update)
    queued = {"monotonic": time.monotonic(), "time": time.time()}
    output.write_text(json.dumps({**queued, "update": update.pk, "people": people}))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["person"]:
        person()
    elif len(sys.argv) == 3 and sys.argv[1] == "send":
        send(Path(sys.argv[2]))
    else:
        sys.exit("usage: python benchmarks/updates.py person | send FILE")
