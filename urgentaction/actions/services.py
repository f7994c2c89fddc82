import uuid

from django.db import IntegrityError, transaction
from django.db.models import F

from urgentaction.actions.models import Action, Delivery
from urgentaction.campaigns.models import Campaign, Channel
from urgentaction.lib.hashing import email_hash
from urgentaction.supporters.models import Supporter

SUPPORTER_FIELDS = (
    "first_name",
    "last_name",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "country",
)


def take_action(
    *,
    campaign: Campaign,
    form_token: uuid.UUID,
    channel: str,
    subject: str,
    body: str,
    first_name: str,
    last_name: str,
    email: str,
    address_line1: str,
    address_line2: str,
    town: str,
    postcode: str,
    country: str,
    wants_updates: bool,
    source: str = "",
    referrer: str = "",
) -> Action:
    """Record a supporter's letter, and a delivery per target when we send it, in one
    transaction. Submitting the same form again returns the action it already made."""
    details = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "address_line1": address_line1,
        "address_line2": address_line2,
        "town": town,
        "postcode": postcode,
        "country": country,
    }
    try:
        with transaction.atomic():
            existing = Action.objects.filter(form_token=form_token).first()
            if existing is not None:
                return existing
            supporter, _ = Supporter.objects.update_or_create(
                email_hash=email_hash(email),
                defaults={"email": email, **{field: details[field] for field in SUPPORTER_FIELDS}},
            )
            action = Action.objects.create(
                campaign=campaign,
                supporter=supporter,
                form_token=form_token,
                channel=channel,
                subject=subject,
                body=body,
                wants_updates=wants_updates,
                consent_text=campaign.updates_consent_text,
                source=source,
                referrer=referrer,
                **details,
            )
            if channel == Channel.EMAIL:
                Delivery.objects.bulk_create(
                    Delivery(action=action, target=target, message_id=Delivery.new_message_id())
                    for target in campaign.targets.all()
                )
            Campaign.objects.filter(pk=campaign.pk).update(action_count=F("action_count") + 1)
            return action
    except IntegrityError:
        # Two submits of one form raced each other: the other one won.
        existing = Action.objects.filter(form_token=form_token).first()
        if existing is None:
            raise
        return existing
