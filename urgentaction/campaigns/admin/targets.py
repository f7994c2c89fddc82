"""The decision-makers letters go to, their pace and their failing addresses."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from urgentaction.campaigns.models import Target
from urgentaction.lib.languages import side_by_side
from urgentaction.lib.widgets import WrapsLongLines

# Lines that may be longer than a text box in a column beside its translation.
WRAPPED_IN_TARGET = {"office": 2, "salutation": 2, "why": 2}


class FlaggedFilter(admin.SimpleListFilter):
    title = _("address")
    parameter_name = "address"

    def lookups(self, request, model_admin):
        return [("flagged", _("Flagged: letters keep failing")), ("ok", _("Working"))]

    def queryset(self, request, queryset):
        if self.value() == "flagged":
            return queryset.exclude(flagged_at=None)
        if self.value() == "ok":
            return queryset.filter(flagged_at=None)
        return queryset


@admin.register(Target)
class TargetAdmin(WrapsLongLines, TranslationAdmin):
    wrapped = WRAPPED_IN_TARGET
    list_display = [
        "__str__",
        "email",
        "hourly_cap",
        "mode",
        "queued",
        "expected_finish",
        "failed",
        "flagged_at",
    ]
    list_filter = [FlaggedFilter, "mode", "organisation"]
    search_fields = ["office", "holder", "organisation", "email"]
    readonly_fields = ["hard_failures", "last_failure", "next_send_at", "next_digest_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    side_by_side("office"),
                    "holder",
                    side_by_side("salutation"),
                    side_by_side("why"),
                    "language",
                ]
            },
        ),
        (_("Address"), {"fields": ["organisation", "address", "postcode", "country", "email"]}),
        (
            _("Pace"),
            {"fields": ["hourly_cap", "sending_from", "sending_until", "time_zone", "mode"]},
        ),
        (
            _("Failures"),
            {
                "fields": [
                    "flagged_at",
                    "hard_failures",
                    "last_failure",
                    "next_send_at",
                    "next_digest_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                queue=Count("deliveries", filter=Q(deliveries__status__in=["pending", "sending"])),
                failures=Count("deliveries", filter=Q(deliveries__status="failed")),
            )
        )

    @admin.display(description=_("letters waiting"), ordering="queue")
    def queued(self, target) -> int:
        return target.queue

    @admin.display(description=_("failed letters"), ordering="failures")
    def failed(self, target) -> int:
        return target.failures

    @admin.display(description=_("queue done by"))
    def expected_finish(self, target) -> str | None:
        if not target.queue:
            return None
        finish = target.expected_send(target.queue, now=timezone.now())
        return date_format(timezone.localtime(finish), "j M H:i")
