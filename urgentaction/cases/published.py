"""A case's or a target's published responses, as its pages show them: those staff
logged and marked publishable, and replies writers pasted that staff chose to publish."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from urgentaction.campaigns.models import Campaign, Target
from urgentaction.cases.models import Answer, TargetResponse
from urgentaction.lib.compiled import compile_once, fetch


@dataclass(frozen=True)
class Shown:
    kind: str  # "logged" by staff, or "pasted" by a writer
    pk: int
    changed: datetime
    target: Target
    holder: str
    campaign: Campaign
    on: date | None
    text: str
    channel: str = ""
    summary: str = ""
    document_url: str = ""
    document_size: int = 0


def any_published(campaign: Campaign) -> bool:
    """Whether the case page has any response to show: one narrow read, compiled once
    per process, cheaper than the wide ones that ``published_responses`` makes, for the
    many campaigns with none."""
    found = fetch(_ANY_PUBLISHED, {_CAMPAIGN: campaign.pk})
    return any(row["logged"] or row["pasted"] for row in found)


# Stands for the campaign's id in the SQL of ``any_published``.
_CAMPAIGN = -1


def _any_published() -> QuerySet:
    logged = TargetResponse.objects.published().filter(campaign=OuterRef("pk"))
    pasted = Answer.objects.published_replies().filter(
        questionnaire__action__campaign=OuterRef("pk")
    )
    return (
        QuerySet(Campaign)
        .filter(pk=_CAMPAIGN)
        .order_by()
        .values(logged=Exists(logged), pasted=Exists(pasted))
    )


_ANY_PUBLISHED = compile_once(_any_published)


def published_responses(
    *, campaign: Campaign | None = None, target: Target | None = None
) -> list[Shown]:
    """The published responses of a case or of a target, newest first."""
    logged = TargetResponse.objects.published().select_related("target")
    pasted = Answer.objects.published_replies().select_related("target", "tenure")
    if campaign is not None:
        # Its own page's campaign is at hand: joining its wide row again would cost the
        # page more to make than the rest of these reads.
        logged = logged.filter(campaign=campaign)
        pasted = pasted.filter(questionnaire__action__campaign=campaign)
    else:
        logged = logged.select_related("campaign")
        pasted = pasted.select_related("questionnaire__action__campaign")
    if target is not None:
        logged = logged.filter(target=target)
        pasted = pasted.filter(target=target)
    shown = [
        Shown(
            kind="logged",
            pk=response.pk,
            changed=response.updated_at,
            target=response.target,
            holder=response.holder,
            campaign=campaign or response.campaign,
            on=response.received_on,
            text=response.text,
            channel=response.get_channel_display(),
            summary=response.summary,
            **_document(response),
        )
        for response in logged
    ]
    shown += [
        Shown(
            kind="pasted",
            pk=answer.pk,
            changed=answer.reviewed_at or answer.created_at,
            target=answer.target,
            holder=answer.tenure.holder,
            campaign=campaign or answer.questionnaire.action.campaign,
            on=answer.replied_on,
            text=answer.reply,
        )
        for answer in pasted
    ]
    return sorted(shown, key=lambda item: (item.on or item.changed.date(), item.pk), reverse=True)


def _document(response: TargetResponse) -> dict[str, object]:
    if not response.document:
        return {}
    try:
        size = response.document.size
    except FileNotFoundError:
        return {}
    name = PurePath(response.document.name).name
    return {"document_url": reverse("cases:document", kwargs={"name": name}), "document_size": size}
