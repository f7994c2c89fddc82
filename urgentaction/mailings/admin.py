import json

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from urgentaction.campaigns.models import Campaign
from urgentaction.core import audit
from urgentaction.core.audit import AuditedAdmin
from urgentaction.core.models import AuditEntry
from urgentaction.lib.secret_links import hide_tokens
from urgentaction.mailings.models import OutboundEmail, Update
from urgentaction.mailings.tasks import start_sending
from urgentaction.mailings.updates import send_test
from urgentaction.supporters.models import Supporter

# The bodies and headers hold live links (to confirm a letter, to see someone's data):
# staff, who may only be allowed to view emails, see them with the tokens hidden.
WITH_LINKS = ["text", "html", "headers"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(AuditedAdmin):
    list_display = ["kind", "to", "status", "attempts", "created_at", "sent_at"]
    # "to" is encrypted: sorting it would sort ciphertext.
    sortable_by = ["kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["kind", "status", "created_at"]
    search_fields = ["message_id"]
    search_help_text = _("Search by a full email address or a Message-ID.")
    email_hash_field = "to_hash"
    exclude = WITH_LINKS
    readonly_fields = [
        *(field.name for field in OutboundEmail._meta.fields if field.name not in WITH_LINKS),
        "text_shown",
        "html_shown",
        "headers_shown",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("plain text"))
    def text_shown(self, email: OutboundEmail) -> str:
        return hide_tokens(email.text)

    @admin.display(description=_("HTML"))
    def html_shown(self, email: OutboundEmail) -> str:
        return hide_tokens(email.html)

    @admin.display(description=_("extra headers"))
    def headers_shown(self, email: OutboundEmail) -> str:
        return hide_tokens(json.dumps(email.headers, ensure_ascii=False))


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ["subject", "campaign", "published", "status", "recipients", "sent_at"]
    list_filter = ["status", "published", "campaign"]
    search_fields = ["subject", "body"]
    readonly_fields = ["status", "recipients", "created_by", "created_at", "sent_at"]
    actions = ["send_test_to_me", "send_to_subscribers"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        # The campaign page shows published updates: a new version of the page.
        Campaign.objects.filter(pk=obj.campaign_id).update(updated_at=timezone.now())

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm("mailings.send_update")

    # Whoever may edit an update may check it in their own inbox; sending it to everyone
    # takes the right to send.
    @admin.action(description=_("Send a test to me"), permissions=["change"])
    def send_test_to_me(self, request, updates) -> None:
        if not request.user.email:
            self.message_user(
                request, _("Add an email address to your account first."), messages.ERROR
            )
            return
        for update in updates:
            send_test(
                update,
                to=request.user.email,
                name=request.user.get_short_name() or request.user.username,
            )
            audit.record(request, AuditEntry.Kind.SEND, f"update {update.pk}", "test to self")
        self.message_user(request, _("Test sent to %(email)s.") % {"email": request.user.email})

    @admin.action(description=_("Send to everyone who asked for updates"), permissions=["send"])
    def send_to_subscribers(self, request, updates) -> None:
        started = [update for update in updates if start_sending(update)]
        for update in started:
            audit.record(request, AuditEntry.Kind.SEND, f"update {update.pk}", "to subscribers")
        count = Supporter.objects.subscribed().count()
        self.message_user(
            request,
            ngettext(
                "%(updates)d update is being sent to %(people)d people.",
                "%(updates)d updates are being sent to %(people)d people.",
                len(started),
            )
            % {"updates": len(started), "people": count},
        )
