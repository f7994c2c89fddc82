from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from urgentaction.core.audit import AuditedAdmin
from urgentaction.lib.languages import side_by_side
from urgentaction.supporters.models import Consent, ConsentText, Supporter, Suppression


class ConsentInline(admin.TabularInline):
    model = Consent
    fields = [
        "text",
        "method",
        "campaign",
        "given_at",
        "confirmed_at",
        "withdrawn_at",
        "withdrawn_how",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Supporter)
class SupporterAdmin(AuditedAdmin):
    list_display = ["__str__", "email", "town", "country", "created_at"]
    # The personal columns are encrypted: sorting them would sort ciphertext.
    sortable_by = ["created_at"]
    list_filter = ["created_at"]
    search_fields = ["=email_hash"]
    # Read only: an address edited here would no longer match its keyed hash, and people
    # change their own details by confirming a letter, or erase them at /my-data/.
    readonly_fields = [field.name for field in Supporter._meta.fields]
    inlines = [ConsentInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ConsentText)
class ConsentTextAdmin(TranslationAdmin):
    """Wordings are versions: saved once (in every language), never changed, so records
    stay true."""

    list_display = ["__str__", "created_at"]
    fields = [side_by_side("wording"), side_by_side("details")]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(AuditedAdmin):
    list_display = ["supporter", "method", "campaign", "given_at", "confirmed_at", "withdrawn_at"]
    list_filter = ["method", "campaign", "given_at", "confirmed_at", "withdrawn_at"]
    search_fields = ["campaign__title"]
    search_help_text = _("Search by a full email address or a campaign's title.")
    email_hash_field = "supporter__email_hash"
    readonly_fields = [field.name for field in Consent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reason", "created_at"]
    list_filter = ["reason"]
    readonly_fields = ["email_hash", "reason", "created_at"]
