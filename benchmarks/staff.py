"""The staff benchmark's parts, each run inside the site's environment (a Django process).

``python benchmarks/staff.py letter`` writes one letter on the demo campaign through
``take_action``, as a submit does, for the bulk seed to copy (database.seed_actions).

``python benchmarks/staff.py counts N USERNAME PASSWORD`` makes the demo campaign look as
it would after N letters over DAYS days: it was published DAYS days ago, and its hourly
counters hold N letters written (most confirmed, delivered, some held, some asking for
updates) by channel and over SOURCES source tags, busiest at first and fading, as the
counters of a campaign that grew that way hold them. A few of the stored letters are
left held for review, and a few deliveries failing, so that the staff home has alerts.
Then it makes a superuser to sign in with.
"""

import sys
from datetime import timedelta
from pathlib import Path

from writer import write_letter

ROOT = Path(__file__).resolve().parent.parent

DAYS = 60
SOURCES = [
    "",
    "newsletter",
    "newsletter / email / spring appeal",
    "mastodon",
    "bluesky",
    "partner / email / week 2",
    "whatsapp",
    "radio",
    "press release",
    "facebook",
    "sms",
    "website banner",
]
CHANNELS = {"email": 0.7, "mail_app": 0.2, "post": 0.1}
# Of the letters written, the share that reached each later stage.
STAGES = {
    "written": 1.0,
    "confirmed": 0.9,
    "delivered": 0.8,
    "signed_up": 0.3,
    "held": 0.02,
    "approved": 0.015,
    "rejected": 0.003,
}


def letter() -> None:
    import django

    django.setup()
    write_letter(0)


def weights(hours: int) -> list[float]:
    """How the letters spread over the hours: a launch peak that fades, and days busier
    than nights."""
    curve = []
    for hour in range(hours):
        fading = 1 / (1 + hour / 36)
        daytime = 1.0 if 7 <= hour % 24 <= 22 else 0.3
        curve.append(fading * daytime)
    total = sum(curve)
    return [weight / total for weight in curve]


def counts(letters: int, username: str, password: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from urgentaction.actions.counts import LetterCount, TargetCount
    from urgentaction.actions.models import Action, Delivery
    from urgentaction.actions.tallies import hour_of
    from urgentaction.campaigns.demo import DEMO_SLUG
    from urgentaction.campaigns.models import Campaign

    campaign = Campaign.objects.get(slug=DEMO_SLUG)
    now = timezone.now()
    first = hour_of(now) - timedelta(days=DAYS)
    Campaign.objects.filter(pk=campaign.pk).update(published_at=first)
    hours = DAYS * 24 + 1
    # Zipf-like shares of the sources: the first is the most used.
    source_weights = [1 / (rank + 1) for rank in range(len(SOURCES))]
    source_weights = [weight / sum(source_weights) for weight in source_weights]
    rows = []
    for index, hour_weight in enumerate(weights(hours)):
        hour = first + timedelta(hours=index)
        for channel, channel_share in CHANNELS.items():
            for source, source_share in zip(SOURCES, source_weights, strict=True):
                written = letters * hour_weight * channel_share * source_share
                for stage, share in STAGES.items():
                    if stage == "delivered" and channel != "email":
                        continue
                    count = round(written * share)
                    if count:
                        rows.append(
                            LetterCount(
                                campaign=campaign,
                                hour=hour,
                                stage=stage,
                                channel=channel,
                                source=source,
                                count=count,
                            )
                        )
    # These stand for every letter, the one written through take_action among them.
    LetterCount.objects.filter(campaign=campaign).delete()
    LetterCount.objects.bulk_create(rows, batch_size=5000)
    for target in campaign.targets.all():
        TargetCount.objects.update_or_create(
            campaign=campaign,
            target=target,
            defaults={
                "sent": round(letters * 0.56),
                "failed": 40,
                "bounced": 12,
                "last_sent_at": now,
            },
        )
    print(f"{len(rows):,} hourly counters for {letters:,} letters over {DAYS} days")
    held = Action.objects.order_by("-pk").values("pk")[:300]
    Action.objects.filter(pk__in=held).update(review="held", created_at=now - timedelta(hours=5))
    failing = Delivery.objects.order_by("-pk").values("pk")[:50]
    Delivery.objects.filter(pk__in=failing).update(
        status="pending", attempts=2, first_attempt_at=now - timedelta(hours=2)
    )
    get_user_model().objects.create_superuser(username, f"{username}@example.org", password)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    command, *arguments = sys.argv[1:]
    if command == "letter":
        letter()
    elif command == "counts":
        counts(int(arguments[0]), arguments[1], arguments[2])
    else:
        raise SystemExit(f"unknown command {command!r}")
