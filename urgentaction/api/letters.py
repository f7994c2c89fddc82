"""A letter sent through the API from a partner's form: checked by our own form's fields,
then taken by ``take_action`` with the same limits and screening as our form. It comes
with no proof of work, so it always waits for its writer to confirm it by email."""

import uuid

from django.conf import settings
from ninja.errors import HttpError

from urgentaction.actions.forms import ActionForm
from urgentaction.actions.models import Action
from urgentaction.actions.services import take_action, tell_of_repeat
from urgentaction.actions.submission import Letter, Refused, Submission
from urgentaction.api.models import ApiKey
from urgentaction.api.present import letter_status
from urgentaction.api.problems import InvalidFields
from urgentaction.api.schemas import LetterIn
from urgentaction.campaigns.models import Campaign, Channel

# Our form's fields, and where each is in the API's request.
FIELDS = {
    "subject": "subject",
    "body": "message",
    "first_name": "person.given_name",
    "last_name": "person.family_name",
    "email": "person.email_addresses.0.address",
    "address_line1": "person.postal_addresses.0.address_lines.0",
    "address_line2": "person.postal_addresses.0.address_lines.1",
    "town": "person.postal_addresses.0.locality",
    "postcode": "person.postal_addresses.0.postal_code",
    "country": "person.postal_addresses.0.country",
    "initials_only": "initials_only",
    "source": "referrer_data.source",
    "referrer": "referrer_data.url",
}

WAITING = (
    "We have emailed the address: the letter goes only once its owner confirms it, and "
    "is deleted after {days} days unconfirmed."
)
DETAILS = {
    "held_for_review": "Staff review the letter before it goes.",
    "rejected": "Staff rejected the letter: it will not go.",
    "queued": "The letter is confirmed and will be sent at its office's pace.",
    "expired": "The letter was never confirmed, and was deleted.",
}


def submit_letter(*, campaign: Campaign, letter: LetterIn, key: ApiKey) -> tuple[str, str]:
    """The letter's status and what that means, for the response. Raises InvalidFields
    for what our form would refuse, and for a refusal by the checks (a limit); HttpError
    (409) when the campaign takes no letters by email now."""
    if not (campaign.is_live and campaign.offers_email and campaign.targets.all()):
        raise HttpError(409, "This campaign takes no letters by email now.")
    form = ActionForm(_form_data(letter, key), campaign=campaign)
    if not form.is_valid():
        raise InvalidFields(
            {FIELDS.get(field, field): errors[0] for field, errors in form.errors.items()}
        )
    data = form.cleaned_data
    try:
        outcome = take_action(
            letter=Letter(
                campaign=campaign,
                **{name: data[name] for name in ActionForm.ACTION_FIELDS},
                initials_only=data["initials_only"],
            ),
            # No page of ours was shown and no proof of work done: nothing to time, and
            # the letter waits for its writer. The partner's key counts as its network.
            submission=Submission(stamp=None, network=f"api-key:{key.pk}"),
        )
    except Refused as refusal:
        raise InvalidFields({FIELDS.get(refusal.field, refusal.field): refusal.message}) from None
    if outcome.created or outcome.action.form_token == data["form_token"]:
        return _described(outcome.action)
    # The address wrote on this campaign before. The answer is the one a new letter gets,
    # so that a key cannot learn who wrote; the address's owner is told instead.
    tell_of_repeat(outcome.action)
    return "awaiting_confirmation", WAITING.format(days=settings.CONFIRMATION_EXPIRY_DAYS)


def _described(action: Action) -> tuple[str, str]:
    status = letter_status(action)
    if status == "awaiting_confirmation":
        return status, WAITING.format(days=settings.CONFIRMATION_EXPIRY_DAYS)
    return status, DETAILS[status]


def _form_data(letter: LetterIn, key: ApiKey) -> dict[str, object]:
    person = letter.person
    address = person.postal_addresses[0]
    lines = [*address.address_lines, ""]
    return {
        "subject": letter.subject,
        "body": letter.message,
        "first_name": person.given_name,
        "last_name": person.family_name,
        "email": person.email_addresses[0].address,
        "address_line1": lines[0],
        "address_line2": lines[1],
        "town": address.locality,
        "postcode": address.postal_code,
        "country": address.country,
        # Letters through the API are ours to send, by email: only that way does the
        # writer confirm them.
        "channel": Channel.EMAIL,
        "initials_only": letter.initials_only,
        "form_token": str(letter.idempotency_key or uuid.uuid4()),
        "source": letter.referrer_data.source or f"api:{key.name}",
        "referrer": letter.referrer_data.url,
    }
