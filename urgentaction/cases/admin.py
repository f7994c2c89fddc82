import math

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from urgentaction.actions.cancelling import undelivered
from urgentaction.campaigns.models import Campaign
from urgentaction.cases.forms import OutcomeForm
from urgentaction.cases.models import Answer, FollowUpAnnouncement, OutcomeRecord, TargetResponse
from urgentaction.cases.outcome_emails import people_to_tell
from urgentaction.cases.outcomes import AlreadyRecorded, case_pages, record_outcome
from urgentaction.cases.publishing import CampaignAdmin
from urgentaction.cases.review import decline_replies, publish_replies, renew_case_pages
from urgentaction.core.audit import AuditedAdmin
from urgentaction.lib.languages import side_by_side
from urgentaction.lib.outbox import OutboxStatus


@admin.register(OutcomeRecord)
class OutcomeRecordAdmin(admin.ModelAdmin):
    """Outcomes as recorded, each with what it cancelled and how far its email has got;
    recording one goes through a page that says exactly what will happen."""

    list_display = [
        "campaign",
        "kind",
        "outcome_date",
        "recorded_at",
        "recorded_by",
        "letters_cancelled",
        "status",
        "progress",
    ]
    list_select_related = ["campaign", "recorded_by"]
    list_filter = ["status", "campaign__outcome_kind"]
    search_fields = ["campaign__title"]

    def get_queryset(self, request):
        sent = Q(emails__email__status=OutboxStatus.SENT)
        return (
            super()
            .get_queryset(request)
            .annotate(queued=Count("emails"), sent=Count("emails", filter=sent))
        )

    # A record is history: it is read, never changed or deleted here.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        """Recording an outcome closes a campaign: it takes the right to change them too."""
        return super().has_add_permission(request) and request.user.has_perm(
            "campaigns.change_campaign"
        )

    @admin.display(description=_("kind of outcome"), ordering="campaign__outcome_kind")
    def kind(self, record: OutcomeRecord) -> str:
        return record.campaign.get_outcome_kind_display()

    @admin.display(description=_("date of the outcome"), ordering="campaign__outcome_date")
    def outcome_date(self, record: OutcomeRecord):
        return record.campaign.outcome_date

    @admin.display(description=_("emails sent"))
    def progress(self, record: OutcomeRecord) -> str:
        return _("%(sent)d of %(queued)d") % {"sent": record.sent, "queued": record.queued}

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        """The form; then a page that says what will happen, whose button records it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = OutcomeForm(data, initial=self._initial(request))
        confirming = data is not None and "edit" not in data and form.is_valid()
        if confirming and data.get("confirmed") == "yes":
            return self._record(request, form)
        if confirming:
            return self._confirmation(request, form)
        context = {**self._context(request, _("Record an outcome")), "form": form}
        return TemplateResponse(request, "cases/admin/outcome_form.html", context)

    @staticmethod
    def _initial(request: HttpRequest) -> dict[str, object]:
        return {"campaign": request.GET.get("campaign")}

    def _context(self, request: HttpRequest, title: str) -> dict[str, object]:
        return {**self.admin_site.each_context(request), "title": title, "opts": self.opts}

    def _confirmation(self, request: HttpRequest, form: OutcomeForm) -> TemplateResponse:
        """Exactly what pressing the button does: the pages of the case it closes, the
        letters it cancels on them and why they wait, and the people it emails, at what
        pace."""
        campaign = form.cleaned_data["campaign"]
        pages = case_pages(campaign)
        people = people_to_tell(campaign)
        pace = settings.UPDATE_EMAILS_PER_MINUTE
        context = {
            **self._context(
                request, _("Record the outcome of “%(title)s”") % {"title": campaign.title}
            ),
            "form": form,
            "campaign": campaign,
            "kind": dict(form.fields["kind"].choices)[form.cleaned_data["kind"]],
            "on": form.cleaned_data["on"],
            "pages": pages,
            "letters": undelivered(campaigns=pages),
            "people": people,
            "pace": pace,
            "minutes": max(math.ceil(people / pace), 1),
        }
        return TemplateResponse(request, "cases/admin/outcome_confirm.html", context)

    def _record(self, request: HttpRequest, form: OutcomeForm) -> HttpResponse:
        campaign = form.cleaned_data["campaign"]
        try:
            record, cancelled = record_outcome(
                campaign=campaign,
                kind=form.cleaned_data["kind"],
                on=form.cleaned_data["on"],
                texts=form.texts(),
                by=request.user,
            )
        except AlreadyRecorded:
            self.message_user(
                request,
                _("The outcome of “%(title)s” was recorded already.") % {"title": campaign},
                messages.WARNING,
            )
            return redirect("admin:cases_outcomerecord_changelist")
        self.log_addition(request, record, [{"added": {}}])
        pages = len(case_pages(campaign))
        if pages > 1:
            message = ngettext(
                "The outcome of “%(title)s” is recorded and the case's %(pages)d pages "
                "closed. %(count)d letter not yet delivered was cancelled; everyone who wrote "
                "on them is being told.",
                "The outcome of “%(title)s” is recorded and the case's %(pages)d pages "
                "closed. %(count)d letters not yet delivered were cancelled; everyone who "
                "wrote on them is being told.",
                cancelled.letters,
            )
        else:
            message = ngettext(
                "The outcome of “%(title)s” is recorded and its page closed. %(count)d letter "
                "not yet delivered was cancelled; everyone who wrote is being told.",
                "The outcome of “%(title)s” is recorded and its page closed. %(count)d letters "
                "not yet delivered were cancelled; everyone who wrote is being told.",
                cancelled.letters,
            )
        self.message_user(
            request, message % {"title": campaign, "pages": pages, "count": cancelled.letters}
        )
        return redirect("admin:cases_outcomerecord_changelist")


@admin.register(TargetResponse)
class TargetResponseAdmin(TranslationAdmin):
    list_display = ["target", "on_case", "received_on", "channel", "published"]
    list_filter = ["published", "channel", "campaign", "target"]
    list_select_related = ["target", "campaign"]
    search_fields = ["summary", "campaign__title"]
    date_hierarchy = "received_on"
    fields = [
        "campaign",
        "target",
        "holder",
        "received_on",
        "channel",
        side_by_side("summary"),
        "text",
        "document",
        "published",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["created_by", "created_at"]

    def get_fields(self, request, obj=None):
        # Who logged it, and when, once someone has.
        fields = super().get_fields(request, obj)
        return fields if obj else [f for f in fields if f not in self.readonly_fields]

    @admin.display(description=_("case"), ordering="campaign__title")
    def on_case(self, response: TargetResponse) -> str:
        return Truncator(response.campaign.title).chars(40)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # The case it was on before, if staff moved it, no longer shows it either.
        renew_case_pages(pk for pk in (obj.campaign_id, form.initial.get("campaign")) if pk)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        renew_case_pages([obj.campaign_id])


@admin.register(Answer)
class AnswerAdmin(AuditedAdmin):
    """Writers' answers to "did you get a reply?", and the replies some pasted: private
    until staff publish them, with anything that points to the writer taken out."""

    list_display = ["target", "on_case", "kind", "replied_on", "review", "answered"]
    list_filter = ["review", "kind", "target"]
    list_select_related = ["target", "questionnaire__action__campaign"]
    search_fields = ["questionnaire__action__campaign__title"]
    search_help_text = _("Search by a full email address or a campaign's title.")
    email_hash_field = "questionnaire__action__supporter__email_hash"
    fields = [
        "on_case",
        "target",
        "tenure",
        "kind",
        "replied_on",
        "days_to_reply",
        "reply",
        "review",
        "reviewed_at",
        "reviewed_by",
        "created_at",
    ]
    readonly_fields = [
        "on_case",
        "target",
        "tenure",
        "kind",
        "replied_on",
        "days_to_reply",
        "review",
        "reviewed_at",
        "reviewed_by",
        "created_at",
    ]
    actions = ["publish", "decline"]

    def has_add_permission(self, request) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        held = request.GET.get("review__exact") == Answer.Review.HELD
        title = _("Pasted replies waiting for review") if held else _("Did writers get a reply?")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.display(description=_("case"))
    def on_case(self, answer: Answer) -> str:
        return Truncator(answer.questionnaire.action.campaign.title).chars(40)

    @admin.display(description=_("answered"), ordering="created_at")
    def answered(self, answer: Answer) -> str:
        return date_format(answer.created_at, "j M Y")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if obj.review == Answer.Review.PUBLISHED:
            renew_case_pages([obj.questionnaire.action.campaign_id])

    @admin.action(description=_("Publish the pasted replies"), permissions=["change"])
    def publish(self, request, answers) -> None:
        done = publish_replies(answers, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d reply published.", "%(count)d replies published.", done)
            % {"count": done},
        )

    @admin.action(
        description=_("Do not publish the pasted replies (their text is deleted)"),
        permissions=["change"],
    )
    def decline(self, request, answers) -> None:
        done = decline_replies(answers, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d reply will not be published; its text is deleted.",
                "%(count)d replies will not be published; their text is deleted.",
                done,
            )
            % {"count": done},
        )


@admin.register(FollowUpAnnouncement)
class FollowUpAnnouncementAdmin(admin.ModelAdmin):
    """Each follow-up's telling of everyone who wrote on its case, and how far it has
    got. The worker starts and runs it; staff only watch."""

    list_display = ["reference", "follow_up", "started_at", "queued", "sent", "finished_at"]
    list_select_related = ["follow_up"]
    search_fields = ["follow_up__title"]
    fields = ["follow_up", "reference", "started_at", "queued", "sent", "finished_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                notices_queued=Count("notices"),
                notices_sent=Count("notices", filter=Q(notices__email__status=OutboxStatus.SENT)),
            )
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("reference"))
    def reference(self, announcement: FollowUpAnnouncement) -> str:
        return announcement.follow_up.reference

    @admin.display(description=_("people to tell, queued"), ordering="notices_queued")
    def queued(self, announcement: FollowUpAnnouncement) -> int:
        return announcement.notices_queued

    @admin.display(description=_("told"), ordering="notices_sent")
    def sent(self, announcement: FollowUpAnnouncement) -> int:
        return announcement.notices_sent


# The campaigns' admin once more (letters/admin.py registered it last), with the page
# that publishes a campaign.
admin.site.unregister(Campaign)
admin.site.register(Campaign, CampaignAdmin)
