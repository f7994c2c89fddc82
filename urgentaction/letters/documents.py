"""Printable letters and hand-in bundles."""

import logging
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime, time, timedelta
from functools import partial
from itertools import chain, islice
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from urgentaction.actions.models import Action
from urgentaction.campaigns.models import Target
from urgentaction.letters.models import HandInBundle
from urgentaction.letters.pdfjoin import PdfJoiner
from urgentaction.letters.typesetting import compile_pdf, compile_to_file

logger = logging.getLogger(__name__)

LETTERS_PER_CHUNK = 250
ROWS_PER_CHUNK = 1000
# Each typesetting process makes this many chunks, then a fresh one takes over, so that
# memory stays flat however large the bundle.
CHUNKS_PER_PROCESS = 4


def letter_item(action: Action, target: Target, *, copy: bool = False) -> dict[str, object]:
    """What the letter template needs, as plain data. Its date is written, and its page
    laid out, as in the letter's language (``lang``, ``region``: Typst's). A ``copy``
    goes to ``target`` with a line that says so."""
    with translation.override(action.letter_language):
        written = date_format(timezone.localtime(action.created_at), "DATE_FORMAT")
        recipient = target.address_lines()  # the office's name as the letter names it
        copy_line = target.copy_line() if copy else None
    reference = action.reference_line()
    lang, _dash, region = action.letter_language.partition("-")
    return {
        "lang": lang,
        "region": region,
        "sender": [action.sender_name, *action.sender_address_lines()],
        "date": written,
        "recipient": recipient,
        "reference": reference,
        "body": action.body,
        "signature": action.sender_name,
        "copy": copy_line,
        "org": settings.ORG_NAME,
    }


def letter_pdf(action: Action) -> bytes:
    """The supporter's letter, one page or more for each target and then for each copy
    target, each with its own address for a window envelope, ready to print."""
    campaign = action.campaign
    items = [letter_item(action, target) for target in campaign.targets.all()]
    items += [letter_item(action, target, copy=True) for target in campaign.copy_targets.all()]
    return compile_pdf("letters.typ", {"letters": items})


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bundle_actions(bundle: HandInBundle):
    """Every standing letter of the bundle's campaign (and dates), oldest first."""
    actions = Action.objects.standing().filter(campaign=bundle.campaign)
    zone = timezone.get_current_timezone()
    if bundle.written_from:
        actions = actions.filter(
            created_at__gte=datetime.combine(bundle.written_from, time.min, zone)
        )
    if bundle.written_until:
        actions = actions.filter(
            created_at__lte=datetime.combine(bundle.written_until, time.max, zone)
        )
    return actions.order_by("created_at", "pk")


def bundle_letters(bundle: HandInBundle) -> Iterator[tuple[Action, Target]]:
    """Each standing letter once for each target it goes to (or the bundle's one target)."""
    targets = [bundle.target] if bundle.target else list(bundle.campaign.targets.all())
    for action in bundle_actions(bundle).iterator(chunk_size=500):
        # Each letter names the campaign's reference: the bundle has the campaign already.
        action.campaign = bundle.campaign
        for target in targets:
            yield action, target


def is_copy(bundle: HandInBundle) -> bool:
    """Whether the bundle is for one of its campaign's copy targets: its letters are copies."""
    target = bundle.target
    return target is not None and bundle.campaign.copy_targets.filter(pk=target.pk).exists()


def make_bundle(bundle_id: int) -> bool:
    """Make a waiting bundle (or one whose maker died), unless another job has it."""
    claimed = HandInBundle.objects.waiting().filter(pk=bundle_id)
    if not claimed.update(status=HandInBundle.Status.BUILDING, started_at=timezone.now()):
        return False
    build_bundle(HandInBundle.objects.select_related("campaign", "target").get(pk=bundle_id))
    return True


def remove_old_bundles() -> int:
    """Bundles hold names, addresses and letters: delete them, files and all, after
    BUNDLE_RETENTION_DAYS, and any file whose bundle was deleted."""
    cutoff = timezone.now() - timedelta(days=settings.BUNDLE_RETENTION_DAYS)
    HandInBundle.objects.filter(created_at__lt=cutoff).delete()
    folder = settings.DATA_DIR / "bundles"
    if not folder.exists():
        return 0
    kept = set(HandInBundle.objects.exclude(file_name="").values_list("file_name", flat=True))
    removed = 0
    for path in folder.glob("*.pdf"):
        if path.name not in kept:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def set_aside_bundles(campaign_ids: Iterable[int]) -> int:
    """Bundles of these campaigns that are made, or being made, may hold the letter or
    name of a writer who has just erased their data: they are marked to be made again,
    and their files deleted once the erasure is committed. Returns how many."""
    bundles = HandInBundle.objects.filter(
        campaign_id__in=campaign_ids,
        status__in=[HandInBundle.Status.READY, HandInBundle.Status.BUILDING],
    )
    paths = [bundle.path for bundle in bundles.exclude(file_name="")]
    transaction.on_commit(partial(_delete, paths))
    return bundles.update(status=HandInBundle.Status.STALE, file_name="")


def _delete(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def build_bundle(bundle: HandInBundle) -> None:
    folder = settings.DATA_DIR / "bundles"
    folder.mkdir(parents=True, exist_ok=True)
    file_name = bundle.new_file_name()
    building = HandInBundle.objects.filter(pk=bundle.pk, status=HandInBundle.Status.BUILDING)
    try:
        if bundle.kind == HandInBundle.Kind.SIGNATORIES:
            count, pages = _build_signatories(bundle, folder / file_name)
        else:
            count, pages = _build_letters(bundle, folder / file_name)
    except Exception as error:
        logger.exception("Bundle %s could not be made", bundle.pk)
        (folder / file_name).unlink(missing_ok=True)
        building.update(
            status=HandInBundle.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return
    made = building.update(
        status=HandInBundle.Status.READY,
        file_name=file_name,
        letters=count,
        pages=pages,
        finished_at=timezone.now(),
    )
    if not made:
        # Set aside while it was being made (a writer erased their data): it may hold them.
        (folder / file_name).unlink(missing_ok=True)


def _cover(bundle: HandInBundle, count: int) -> dict[str, object]:
    period = _("from %(start)s to %(end)s") % {
        "start": date_format(bundle.written_from, "j F Y")
        if bundle.written_from
        else _("the start"),
        "end": date_format(bundle.written_until, "j F Y") if bundle.written_until else _("today"),
    }
    target = bundle.target.display_name if bundle.target else _("every target of the campaign")
    return {
        "title": bundle.campaign.title,
        "org": settings.ORG_NAME,
        "rows": [
            [_("Reference"), bundle.campaign.reference or _("none: not published")],
            [_("Copies to") if is_copy(bundle) else _("Letters to"), target],
            [_("Letters"), str(count)],
            [_("Written"), period],
            [_("Made"), date_format(timezone.localtime(), "j F Y, H:i")],
        ],
    }


def _build_letters(bundle: HandInBundle, path: Path) -> tuple[int, int]:
    count = bundle_actions(bundle).count() * (
        1 if bundle.target else bundle.campaign.targets.count()
    )
    copy = is_copy(bundle)
    chunks = (
        (
            "letters.typ",
            {"letters": [letter_item(action, target, copy=copy) for action, target in chunk]},
        )
        for chunk in chunked(bundle_letters(bundle), LETTERS_PER_CHUNK)
    )
    cover = ("cover.typ", {"cover": _cover(bundle, count)})
    return count, _typeset_into(path, chain([cover], chunks))


def _heading(campaign) -> str:
    if not campaign.reference:
        return campaign.title
    return f"{campaign.reference}: {campaign.title}"


def _build_signatories(bundle: HandInBundle, path: Path) -> tuple[int, int]:
    """Names and towns only: a list to hand in with the letters, without anyone's email."""
    count = bundle_actions(bundle).count()
    headings = [_("No."), _("Name"), _("Town"), _("Date")]
    rows = (
        [str(number), action.sender_name, action.town, date_format(action.created_at, "j M Y")]
        for number, action in enumerate(bundle_actions(bundle).iterator(chunk_size=500), start=1)
    )
    chunks = (
        (
            "signatories.typ",
            {
                "list": {
                    "title": bundle.campaign.title,
                    "org": settings.ORG_NAME,
                    "heading": _heading(bundle.campaign) if index == 0 else None,
                    "headings": headings,
                    "rows": chunk,
                }
            },
        )
        # An empty list still makes one page, with the headings.
        for index, chunk in enumerate(chunked(rows, ROWS_PER_CHUNK) if count else [[]])
    )
    return count, _typeset_into(path, chunks)


def _typeset_into(path: Path, parts: Iterable[tuple[str, dict[str, object]]]) -> int:
    """Typeset each (template, inputs) part in child processes, a few parts in flight at
    a time, and join the results into ``path`` in order; return the page count."""
    workers = 2
    pages = 0
    with (
        tempfile.TemporaryDirectory(prefix="bundle-") as scratch,
        ProcessPoolExecutor(
            workers, mp_context=get_context("spawn"), max_tasks_per_child=CHUNKS_PER_PROCESS
        ) as pool,
        path.open("wb") as out,
    ):
        joiner = PdfJoiner(out)
        in_flight: deque[Future] = deque()
        for number, (template, inputs) in enumerate(parts):
            part = str(Path(scratch) / f"{number:06d}.pdf")
            in_flight.append(pool.submit(compile_to_file, template, inputs, part))
            if len(in_flight) >= workers * 2:
                pages += _join(joiner, in_flight.popleft())
        while in_flight:
            pages += _join(joiner, in_flight.popleft())
        joiner.close()
    return pages


def _join(joiner: PdfJoiner, future: Future) -> int:
    part = Path(future.result())
    added = joiner.add(str(part))
    part.unlink()
    return added
