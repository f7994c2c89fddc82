from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from urgentaction.actions.delivery import build_message
from urgentaction.actions.models import (
    Action,
    BlockedDomain,
    BlockedWord,
    Delivery,
    Digest,
    Review,
    State,
)
from urgentaction.actions.review import approve, reject
from urgentaction.campaigns.models import Channel
from urgentaction.core.audit import AuditedAdmin
from urgentaction.lib.outbox import Withdrawn


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["target", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


# Channels as a list has room for them.
CHANNEL_WORDS = {
    Channel.EMAIL: _("by email"),
    Channel.MAIL_APP: _("own email app"),
    Channel.POST: _("post"),
}


class StateFilter(admin.SimpleListFilter):
    """The one plain word the list shows for each letter."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        if self.value() in State.values:
            return queryset.in_state(State(self.value()))
        return queryset


def showing_held(request: HttpRequest) -> bool:
    return request.GET.get("review__exact") == Review.HELD or request.GET.get("state") == State.HELD


@admin.register(Action)
class ActionAdmin(AuditedAdmin):
    list_display = ["on_campaign", "written_by", "how", "state", "written"]
    list_display_links = ["written_by"]
    list_filter = [
        StateFilter,
        "review",
        "escalated_at",
        "campaign",
        "channel",
        "wants_updates",
        "created_at",
        "confirmed_at",
        "expired_at",
    ]
    search_fields = ["campaign__title"]
    search_help_text = _("Search by a full email address or a campaign's title.")
    email_hash_field = "supporter__email_hash"
    actions = ["approve_letters", "reject_letters"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_deliveries()

    def changelist_view(self, request, extra_context=None):
        title = _("Letters held for review") if showing_held(request) else _("Letters")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_list_display(self, request):
        # Letters held for review: why, beside each.
        if showing_held(request):
            return [*self.list_display, "reasons"]
        return self.list_display

    @admin.display(description=_("campaign"), ordering="campaign__title")
    def on_campaign(self, action: Action) -> str:
        return Truncator(action.campaign.title).chars(40)

    @admin.display(description=_("written by"))
    def written_by(self, action: Action) -> str:
        return action.sender_name.strip() or _("(erased)")

    @admin.display(description=_("how"), ordering="channel")
    def how(self, action: Action) -> str:
        return CHANNEL_WORDS.get(action.channel, action.channel)

    @admin.display(description=_("state"))
    def state(self, action: Action) -> str:
        return action.state

    @admin.display(description=_("written"), ordering="created_at")
    def written(self, action: Action) -> str:
        return date_format(timezone.localtime(action.created_at), "j M Y, H:i")

    @admin.display(description=_("why held"))
    def reasons(self, action: Action) -> str:
        return "; ".join(action.held_reasons)

    @admin.action(description=_("Approve: let the held letters go"), permissions=["change"])
    def approve_letters(self, request, actions) -> None:
        done = sum(approve(action, by=request.user) for action in actions)
        self.message_user(request, _("%(count)d letters approved.") % {"count": done})

    @admin.action(description=_("Reject: never send the held letters"), permissions=["change"])
    def reject_letters(self, request, actions) -> None:
        done = sum(reject(action, by=request.user) for action in actions)
        self.message_user(request, _("%(count)d letters rejected.") % {"count": done})

    list_select_related = ["campaign"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Action._meta.fields]
    inlines = [DeliveryInline]

    def has_add_permission(self, request) -> bool:
        return False


class TroubleFilter(admin.SimpleListFilter):
    title = _("trouble")
    parameter_name = "trouble"

    def lookups(self, request, model_admin):
        return [("retrying", _("Failing: being tried again"))]

    def queryset(self, request, queryset):
        if self.value() == "retrying":
            return queryset.retrying()
        return queryset


@admin.register(Delivery)
class DeliveryAdmin(AuditedAdmin):
    list_display = ["__str__", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = [TroubleFilter, "status", "target", "action__campaign"]
    search_fields = ["message_id"]
    search_help_text = _("Search by a full email address or a Message-ID.")
    email_hash_field = "action__supporter__email_hash"
    list_select_related = ["action__campaign", "target"]
    readonly_fields = [field.name for field in Delivery._meta.fields] + ["message"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("Message as sent"))
    def message(self, delivery: Delivery) -> str:
        try:
            message = build_message(delivery)
        except Withdrawn:
            return _("None: its writer erased their data.")
        return format_html('<pre class="message">{}</pre>', message.message().as_string())


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "attempts", "sent_at"]
    list_filter = ["status", "target"]
    readonly_fields = [field.name for field in Digest._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ["phrase", "created_at"]
    search_fields = ["phrase"]


@admin.register(BlockedDomain)
class BlockedDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "created_at"]
    search_fields = ["domain"]
