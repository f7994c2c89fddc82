import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import F, Model, Q, QuerySet, Subquery
from django.utils import timezone

from urgentaction.actions.checks import Screening, screen, verified_proof
from urgentaction.actions.confirmation import request_confirmation, update_supporter_details
from urgentaction.actions.kept import ForSubmit
from urgentaction.actions.models import Action, ActionQuerySet, Delivery, Review
from urgentaction.actions.review import count_letter
from urgentaction.actions.screening import Blocklist, content_reasons
from urgentaction.actions.similarity import review_reasons
from urgentaction.actions.submission import Letter, Submission
from urgentaction.actions.tallies import letter_written
from urgentaction.campaigns.models import Campaign, Channel, Role
from urgentaction.core import kept as kept_versions
from urgentaction.core.events import Event, emit
from urgentaction.lib.compiled import Insert, Rows, compile_once, fetch
from urgentaction.mailings.emails import queue_email
from urgentaction.mailings.signups import request_signup_confirmation
from urgentaction.supporters.consent import record_consent
from urgentaction.supporters.models import Consent, ConsentText, Supporter

REPEAT_NOTICE_INTERVAL = timedelta(days=1)


@dataclass(frozen=True)
class Outcome:
    action: Action
    # False when the supporter had already written on this campaign (or this very form
    # was submitted before): no new letter was made.
    created: bool


@dataclass(frozen=True)
class _Prepared:
    """A letter's rows, made ready before the transaction (which on SQLite holds the
    database's one write lock): all but what only the transaction knows, the writer's
    row's id and what the checks find, which ``_store`` adds."""

    # Why to hold it, from its words and its address.
    held_reasons: list[str]
    # One Supporter, one Action, and the Action's Delivery rows.
    writer: Rows
    letter: Rows
    deliveries: Rows


def take_action(
    *, letter: Letter, submission: Submission, kept: ForSubmit | None = None
) -> Outcome:
    """Record a supporter's letter, with a delivery per target and per copy target when
    we send it, in one transaction, after the checks of ``checks.screen`` (which may raise
    Refused: then nothing is written). A letter sent in the supporter's name waits for
    them to confirm their address, unless the campaign does not ask for it or this
    browser has confirmed the address before. ``kept``: what the caller keeps
    (actions/kept.py): the blocked words and domains (read here otherwise), and the
    numbers with which the listeners to its events may trust what they keep."""
    # Read before the transaction, which on SQLite holds the database's one write lock:
    # a letter stored meanwhile by a racing submit fails the unique constraints below.
    found = _Found.probe(letter)
    if found.resubmitted is not None:
        # This very form sent again (a double click): its random token shows it came
        # from the browser that wrote the letter.
        return Outcome(_letter(found.resubmitted), created=False)
    prepared = _prepare(
        letter, kept.blocklist if kept else Blocklist.read(), token_taken=found.token_taken
    )
    # Its signature and its work checked outside the lock too; spent inside.
    solved = verified_proof(submission.proof, network=submission.network)
    try:
        with transaction.atomic(), kept_versions.read_as(kept.numbers if kept else {}):
            # Whether this address wrote on this campaign before shows in the answer
            # only once the submission passed the proof of work and the limits, so that
            # nobody can ask it for free.
            screening = screen(letter, submission, solved)
            if found.earlier is not None:
                return Outcome(_letter(found.earlier), created=False)
            action = _store(letter, prepared, screening, submission)
            _follow_up(action, letter, submission)
            emit(Event.ACTION_CREATED, action=action)
            if action.confirmed_at is not None:
                emit(Event.ACTION_CONFIRMED, action=action)
            # Last: every letter of the hour adds to the same counter row, which
            # PostgreSQL keeps locked from this statement until the commit.
            letter_written(action)
            return Outcome(action, created=True)
    except IntegrityError:
        # Two submits raced each other (a double click, or one supporter in two tabs):
        # the other one won, and its letter is found now.
        repeated = _Found.probe(letter).repeated
        if repeated is None:
            raise
        return Outcome(_letter(repeated), created=False)


@dataclass(frozen=True)
class _Found:
    """What the letters already stored say of a submission, from one indexed probe that
    reads ids only: the letter this very form made (sent again with the same address),
    whether its token is taken by another address's letter, and this address's earlier
    letter on the campaign. Nearly every submit finds none of them. The one place that
    says which letter a submission repeats."""

    resubmitted: int | None
    token_taken: bool
    earlier: int | None

    @property
    def repeated(self) -> int | None:
        """The letter the submission repeats: this very form's, or else the address's
        earlier letter on the campaign."""
        return self.resubmitted if self.resubmitted is not None else self.earlier

    @classmethod
    def probe(cls, letter: Letter) -> "_Found":
        field = Action._meta.get_field("form_token")
        token = field.get_db_prep_value(letter.form_token, connection)
        placeholder = field.get_db_prep_value(_TOKEN, connection)
        rows = fetch(
            _PROBE,
            {placeholder: token, _HASH: letter.email_hash, _CAMPAIGN: letter.campaign.pk},
        )
        resubmitted = earlier = None
        token_taken = False
        for row in rows:
            theirs = row["writer"] == letter.email_hash
            if row["form_token"] == token:
                resubmitted = row["id"] if theirs else resubmitted
                token_taken = token_taken or not theirs
            elif theirs and row["campaign_id"] == letter.campaign.pk and earlier is None:
                earlier = row["id"]
        return cls(resubmitted, token_taken, earlier)


def repeat_probe(campaign: Campaign, form_token: uuid.UUID, hashed: str) -> QuerySet:
    """The ids of the letters made with this form token (by this address or another) and
    of the current letter of the address ``hashed`` on the campaign, with whose they are:
    one statement through two unique indexes (the form token; the campaign and supporter
    of a current letter)."""
    writer = Supporter.objects.filter(email_hash=hashed).order_by().values("pk")
    return (
        Action.objects.filter(
            Q(form_token=form_token)
            | Q(campaign=campaign, supporter=Subquery(writer)) & ActionQuerySet.CURRENT
        )
        .order_by("pk")
        .values("id", "form_token", "campaign_id", writer=F("supporter__email_hash"))
    )


# The probe's placeholders, in its SQL compiled once per process.
_TOKEN = uuid.UUID(int=0)
_HASH = "\0hash"
_CAMPAIGN = -1
_PROBE = compile_once(lambda: repeat_probe(Campaign(pk=_CAMPAIGN), _TOKEN, _HASH))


def _letter(pk: int) -> Action:
    return Action.objects.select_related("campaign").get(pk=pk)


def _prepare(letter: Letter, blocklist: Blocklist, *, token_taken: bool) -> _Prepared:
    campaign = letter.campaign
    targets = list(campaign.targets.all())
    fingerprint, similar = review_reasons(campaign, letter.body, targets)
    blocked = content_reasons(
        email=letter.email, subject=letter.subject, body=letter.body, blocklist=blocklist
    )
    # The writer's details and the letter's words as the database takes them: encrypted,
    # the details once for both rows that keep them.
    details = _sealed(Supporter, letter.details)
    words = _sealed(Action, {name: getattr(letter, name) for name in _WORDS})
    supporter = Supporter(email_hash=letter.email_hash, **letter.details)
    action = Action(
        campaign=campaign,
        # A token that came with someone else's address: a copied or replayed form.
        form_token=uuid.uuid4() if token_taken else letter.form_token,
        channel=letter.channel,
        subject=letter.subject,
        body=letter.body,
        wants_updates=letter.wants_updates and letter.consent_text is not None,
        initials_only=letter.initials_only,
        language=letter.language,
        letter_language=letter.letter_language,
        source=letter.source,
        referrer=letter.referrer,
        created_at=timezone.now(),
        fingerprint=fingerprint,
        **letter.details,
    )
    by_email = letter.channel == Channel.EMAIL
    deliveries = []
    if by_email:
        addressed = [(target, Role.TO) for target in targets]
        copied = [(target, Role.COPY) for target in campaign.copy_targets.all()]
        deliveries = [
            Delivery(
                target=target,
                role=role,
                message_id=Delivery.new_message_id(settings.LETTERS_FROM_EMAIL),
            )
            for target, role in addressed + copied
        ]
    return _Prepared(
        held_reasons=[*blocked, *(similar if by_email else [])],
        writer=_INSERT_SUPPORTER.rows([supporter], stored=details),
        letter=_INSERT_ACTION.rows(
            [action], stored=details | words, later=_KNOWN_IN_THE_TRANSACTION
        ),
        deliveries=_INSERT_DELIVERY.rows(deliveries, later=("action", "status")),
    )


def _store(
    letter: Letter, prepared: _Prepared, screening: Screening, submission: Submission
) -> Action:
    """The supporter, the action and its deliveries, written once, as they will stay:
    everything that holds a letter is known by now. The writer is added if new, in one
    statement: an address that wrote before meets the conflict clause, which returns its
    row's id and leaves its details as they are (they change only once they confirm this
    letter: knowing an address must not be enough to rewrite its owner's details). Only
    the id and hash of the supporter are the stored row's."""
    prepared.writer.save()
    [action], [supporter] = prepared.letter.objs, prepared.writer.objs
    action.supporter = supporter
    waits_for_writer = letter.channel == Channel.EMAIL and (
        screening.must_confirm or _confirms_by_default(letter, submission)
    )
    reasons = [*screening.held_reasons, *prepared.held_reasons]
    action.confirmed_at = None if waits_for_writer else action.created_at
    action.review = Review.HELD if reasons else Review.NONE
    action.held_reasons = reasons
    prepared.letter.save()
    waits = waits_for_writer or reasons
    for delivery in prepared.deliveries.objs:
        delivery.action = action
        delivery.status = Delivery.Status.HELD if waits else Delivery.Status.PENDING
    prepared.deliveries.save()
    return action


def _sealed(model: type[Model], values: dict[str, str]) -> dict[str, object]:
    """``values`` of ``model``'s fields as the database takes them: encrypted."""
    meta, database = model._meta, connections[DEFAULT_DB_ALIAS]
    return {
        name: meta.get_field(name).get_db_prep_save(value, database)
        for name, value in values.items()
    }


# The letter's own encrypted words.
_WORDS = ("subject", "body", "source", "referrer")
# The rows of a new letter, their SQL built once per process.
_INSERT_ACTION = Insert(Action)
_INSERT_DELIVERY = Insert(Delivery)
_INSERT_SUPPORTER = Insert(Supporter, unique=["email_hash"], update=["email_hash"])
# A letter's fields that its transaction settles: its writer's row, and what the checks
# found (whether it waits for its writer, and why it is held).
_KNOWN_IN_THE_TRANSACTION = ("supporter", "confirmed_at", "review", "held_reasons")


def _follow_up(action: Action, letter: Letter, submission: Submission) -> None:
    """What a new letter sets going: the writer's details, their consent to updates, and
    the email that confirms it, acknowledges it, or (for one that goes) its count."""
    address_proven = letter.email_hash in submission.confirmed_addresses
    if address_proven:
        update_supporter_details(action)
    if action.wants_updates:
        _consent_with_letter(action, letter.consent_text, letter.page_url, address_proven)
    if action.awaiting_confirmation:
        request_confirmation(action)
    elif action.channel != Channel.EMAIL:
        return
    elif action.held_reasons:
        # A held letter is still acknowledged, so a real person knows we have it.
        queue_email(
            to=action.email,
            template="letter_received",
            context={"action": action, "campaign": action.campaign},
            action=action,
        )
    else:
        count_letter(action.pk)


def _confirms_by_default(letter: Letter, submission: Submission) -> bool:
    """Whether a letter by email waits for its writer, proof of work or not: unless the
    campaign does not ask, or this browser has proved the address before."""
    return (
        letter.campaign.requires_confirmation
        and letter.email_hash not in submission.confirmed_addresses
    )


def _consent_with_letter(
    action: Action, text: ConsentText, page_url: str, address_proven: bool
) -> None:
    """The box on the letter form: confirmed with the letter, or at once where this
    browser has proved the address; otherwise by its own email (double opt-in)."""
    consent = record_consent(
        supporter=action.supporter,
        text=text,
        method=Consent.Method.ACTION_FORM,
        campaign=action.campaign,
        page_url=page_url,
        confirmed=address_proven,
        language=action.language,
    )
    Action.objects.filter(pk=action.pk).update(consent=consent)
    action.consent = consent
    letter_confirms_it = action.awaiting_confirmation
    if not address_proven and not letter_confirms_it:
        request_signup_confirmation(consent)


@transaction.atomic
def tell_of_repeat(action: Action) -> None:
    """Someone wrote again with this address: tell its owner (at most once a day), rather
    than the browser, which has not shown it knows more than the address."""
    now = timezone.now()
    recent = now - REPEAT_NOTICE_INTERVAL
    claimed = Action.objects.filter(pk=action.pk).exclude(repeat_notified_at__gt=recent)
    if not claimed.update(repeat_notified_at=now):
        return
    if action.awaiting_confirmation:
        # Their first letter still waits for them: send the link again.
        request_confirmation(action, template="confirm_reminder")
        return
    queue_email(
        to=action.email,
        template="letter_repeat",
        context={
            "action": action,
            "campaign": action.campaign,
            "targets": list(action.campaign.targets.all()),
        },
        action=action,
    )


@transaction.atomic
def report_sent(action: Action) -> bool:
    """The supporter says they sent or posted their letter themselves: count it, once."""
    if action.channel == Channel.EMAIL:
        return False
    reported = Action.objects.filter(pk=action.pk, reported_sent_at=None).update(
        reported_sent_at=timezone.now()
    )
    count_letter(action.pk)
    return bool(reported)
