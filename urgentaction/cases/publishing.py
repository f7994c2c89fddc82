"""Publishing a campaign, through a page that says exactly what it will do: the addresses
at which it becomes public, the reference it is given, whom its letters go to and, for a
follow-up, how many people who wrote on the case are told of it, at what pace. The page's
one button publishes it now; another sets the time at which the worker publishes it.

The campaign's own form cannot make a draft live or set that time: the page is the only
way to publish, so that nobody tells a case's writers by changing a drop-down."""

import math
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import widgets
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from urgentaction.campaigns.languages import languages
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.models.references import expected_reference
from urgentaction.cases.notices import to_tell
from urgentaction.letters import admin as letters_admin
from urgentaction.lib.languages import translated_name


@dataclass(frozen=True)
class Publication:
    """What publishing ``campaign`` now would do."""

    campaign: Campaign
    reference: str
    addresses: list[tuple[str, str]]
    people: int
    pace: int

    @property
    def minutes(self) -> int:
        return max(math.ceil(self.people / self.pace), 1)


def publication(campaign: Campaign) -> Publication:
    targets = list(campaign.targets.all())
    letter = getattr(campaign, "letter", None)
    addresses = []
    for code in languages(campaign, targets=targets, letter=letter):
        with override(code):
            url = settings.SITE_URL + campaign.get_absolute_url()
        addresses.append((translated_name(code), url))
    return Publication(
        campaign=campaign,
        reference=expected_reference(campaign),
        addresses=addresses,
        people=to_tell(campaign).count() if campaign.follow_up_of_id else 0,
        pace=settings.UPDATE_EMAILS_PER_MINUTE,
    )


def why_not_ready(campaign: Campaign) -> list[str]:
    """What keeps ``campaign`` from being published, in words for the page."""
    reasons = []
    if not hasattr(campaign, "letter"):
        reasons.append(_("It has no suggested letter."))
    if not campaign.targets.exists():
        reasons.append(_("It has nobody to write to."))
    case = campaign.follow_up_of
    if case is not None and case.reference_number is None:
        reasons.append(
            _("It follows up “%(title)s”, which is not published yet: publish that first.")
            % {"title": case.title}
        )
    return reasons


@transaction.atomic
def publish(*, campaign: Campaign) -> None:
    """Make ``campaign`` live now: it is dated and given its reference as it is saved,
    and the worker starts telling the case's writers of a follow-up."""
    campaign.status = Campaign.Status.LIVE
    campaign.publish_at = None
    campaign.save()


def schedule(*, campaign: Campaign, at: datetime | None) -> None:
    """Have the worker publish ``campaign`` at ``at`` (None: not at any set time)."""
    campaign.publish_at = at
    campaign.save(update_fields=["publish_at", "updated_at"])


class ScheduleForm(forms.Form):
    at = forms.SplitDateTimeField(
        label=_("Publish at"),
        widget=widgets.AdminSplitDateTime,
        help_text=_("In the site's time zone. The worker publishes it within a minute of then."),
    )

    def clean_at(self) -> datetime:
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise forms.ValidationError(_("Choose a time still to come, or publish it now."))
        return at


class CampaignAdmin(letters_admin.CampaignAdmin):
    """The campaigns' admin, with the publishing page: it counts the people a follow-up
    tells, which the cases app knows, so it is added here."""

    def get_readonly_fields(self, request: HttpRequest, obj: Campaign | None = None):
        fields = [*super().get_readonly_fields(request, obj), "publish_at"]
        if obj is None or obj.status == Campaign.Status.DRAFT:
            fields.append("status")
        return fields

    def get_urls(self):
        publish_url = path(
            "<path:object_id>/publish/",
            self.admin_site.admin_view(self.publish_view),
            name="campaigns_campaign_publish",
        )
        return [publish_url, *super().get_urls()]

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET says what publishing does; its buttons publish now, at a time, or not at
        the time set before."""
        campaign = self.get_object(request, object_id)
        if campaign is None:
            raise Http404
        if not self.has_change_permission(request, campaign):
            raise PermissionDenied
        change_url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
        if campaign.status != Campaign.Status.DRAFT:
            self.message_user(request, _("“%(title)s” is published already.") % {"title": campaign})
            return redirect(change_url)
        reasons = why_not_ready(campaign)
        form = ScheduleForm(request.POST if "schedule" in request.POST else None)
        if request.method == "POST" and not reasons:
            done = self._publish_as_asked(request, campaign, form)
            if done:
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish “%(title)s”") % {"title": campaign.title},
            "opts": self.opts,
            "original": campaign,
            "reasons": reasons,
            "publication": None if reasons else publication(campaign),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "cases/admin/publish.html", context)

    def _publish_as_asked(self, request: HttpRequest, campaign: Campaign, form) -> bool:
        if "publish" in request.POST:
            publish(campaign=campaign)
            self.log_change(request, campaign, [{"changed": {"fields": ["status"]}}])
            self.message_user(
                request,
                _("“%(title)s” is published as %(reference)s.")
                % {"title": campaign, "reference": campaign.reference},
            )
            return True
        if "unschedule" in request.POST:
            schedule(campaign=campaign, at=None)
            self.message_user(request, _("“%(title)s” stays a draft.") % {"title": campaign})
            return True
        if form.is_valid():
            schedule(campaign=campaign, at=form.cleaned_data["at"])
            self.log_change(request, campaign, [{"changed": {"fields": ["publish_at"]}}])
            at = date_format(timezone.localtime(campaign.publish_at), "DATETIME_FORMAT")
            self.message_user(
                request,
                _("“%(title)s” will be published at %(at)s.") % {"title": campaign, "at": at},
                messages.SUCCESS,
            )
            return True
        return False
