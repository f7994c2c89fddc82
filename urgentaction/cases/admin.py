from django.contrib import admin
from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from urgentaction.cases.models import Answer, FollowUpAnnouncement, TargetResponse
from urgentaction.cases.review import decline_replies, publish_replies, renew_case_pages
from urgentaction.core.audit import AuditedAdmin
from urgentaction.lib.languages import side_by_side
from urgentaction.lib.outbox import OutboxStatus


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
