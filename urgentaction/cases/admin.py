from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from urgentaction.cases.models import FollowUpAnnouncement
from urgentaction.lib.outbox import OutboxStatus


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
