"""What needs a campaigner now, on the staff home: each alert says how many, how long
the oldest has waited, and links to the list where it is dealt with. Each is one
aggregate query on an index, and shows only to staff who may open its list. Apps beside
this one (the API's webhooks) register theirs in core/alerts.py."""

from datetime import datetime

from django.db.models import Count, Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from urgentaction.actions.models import Action, Delivery
from urgentaction.campaigns.models import Campaign, Target
from urgentaction.cases.models import Answer
from urgentaction.core.alerts import Alert, registered
from urgentaction.mailings.models import Update


def alerts(request: HttpRequest) -> list[Alert]:
    found = []
    for permission, make in (
        ("actions.view_action", _held_letters),
        ("campaigns.view_target", _flagged_targets),
        ("actions.view_delivery", _failing_deliveries),
        ("campaigns.view_campaign", _campaigns_past_deadline),
        ("mailings.view_update", _updates_being_sent),
        ("cases.view_answer", _replies_to_review),
        *registered(),
    ):
        if request.user.has_perm(permission):
            found += make()
    return found


def _count_and_oldest(queryset, field: str) -> tuple[int, datetime | None]:
    found = queryset.order_by().aggregate(count=Count("pk"), oldest=Min(field))
    return found["count"], found["oldest"]


def _waited(moment: datetime) -> str:
    return timesince(moment, timezone.now(), depth=1)


def _since(sentence: str, moment: datetime | None) -> str:
    """``sentence`` with how long ago ``moment`` was, if it is known."""
    return sentence % {"time": _waited(moment)} if moment else ""


def _held_letters() -> list[Alert]:
    count, oldest = _count_and_oldest(Action.objects.held(), "created_at")
    if not count:
        return []
    return [
        Alert(
            ngettext(
                "%(count)s letter waiting for review",
                "%(count)s letters waiting for review",
                count,
            )
            % {"count": f"{count:,}"},
            _since(_("The oldest has waited %(time)s."), oldest),
            reverse("admin:actions_action_changelist") + "?review__exact=held",
        )
    ]


def _flagged_targets() -> list[Alert]:
    count, oldest = _count_and_oldest(Target.objects.flagged(), "flagged_at")
    if not count:
        return []
    return [
        Alert(
            ngettext(
                "%(count)s target whose address keeps failing",
                "%(count)s targets whose addresses keep failing",
                count,
            )
            % {"count": f"{count:,}"},
            _since(_("The first was flagged %(time)s ago."), oldest),
            reverse("admin:campaigns_target_changelist") + "?address=flagged",
        )
    ]


def _failing_deliveries() -> list[Alert]:
    count, oldest = _count_and_oldest(Delivery.objects.retrying(), "first_attempt_at")
    if not count:
        return []
    return [
        Alert(
            ngettext(
                "%(count)s letter failing to send, being tried again",
                "%(count)s letters failing to send, being tried again",
                count,
            )
            % {"count": f"{count:,}"},
            _since(_("The oldest first failed %(time)s ago."), oldest),
            reverse("admin:actions_delivery_changelist") + "?trouble=retrying",
        )
    ]


def _campaigns_past_deadline() -> list[Alert]:
    today = timezone.localdate()
    count, oldest = _count_and_oldest(Campaign.objects.past_deadline(today), "deadline")
    if not count:
        return []
    days = (today - oldest).days
    return [
        Alert(
            ngettext(
                "%(count)s campaign past its deadline but still live",
                "%(count)s campaigns past their deadline but still live",
                count,
            )
            % {"count": f"{count:,}"},
            ngettext(
                "The oldest deadline passed %(days)s day ago.",
                "The oldest deadline passed %(days)s days ago.",
                days,
            )
            % {"days": days},
            reverse("admin:campaigns_campaign_changelist") + "?overdue=yes",
        )
    ]


def _updates_being_sent() -> list[Alert]:
    return [
        Alert(
            _("Sending the update “%(subject)s”") % {"subject": update.subject},
            _("%(sent)s of %(queued)s emails sent so far.")
            % {"sent": f"{update.sent:,}", "queued": f"{update.queued:,}"},
            reverse("admin:mailings_update_change", args=[update.pk]),
        )
        for update in Update.objects.sending().with_progress().order_by("pk")
    ]


def _replies_to_review() -> list[Alert]:
    count, oldest = _count_and_oldest(Answer.objects.awaiting_review(), "created_at")
    if not count:
        return []
    return [
        Alert(
            ngettext(
                "%(count)s reply a supporter pasted, waiting for review",
                "%(count)s replies supporters pasted, waiting for review",
                count,
            )
            % {"count": f"{count:,}"},
            _since(_("The oldest has waited %(time)s."), oldest),
            reverse("admin:cases_answer_changelist") + "?review__exact=held",
        )
    ]
