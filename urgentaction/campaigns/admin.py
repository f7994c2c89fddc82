from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from urgentaction.campaigns.models import Campaign, LetterTemplate, Target


class LetterTemplateInline(admin.StackedInline):
    model = LetterTemplate
    can_delete = False
    min_num = 1
    max_num = 1


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "deadline", "action_count", "published_at"]
    list_filter = ["status", "deadline"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["targets"]
    readonly_fields = ["action_count", "published_at", "created_at", "updated_at"]
    inlines = [LetterTemplateInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "summary"]}),
        (_("Urgency"), {"fields": ["deadline", "urgency_note", "goal"]}),
        (_("Case"), {"fields": ["story", "quote", "quote_attribution"]}),
        (_("Who to write to"), {"fields": ["targets"]}),
        (
            _("How supporters can send"),
            {"fields": ["offers_email", "offers_mail_app", "offers_post"]},
        ),
        (_("Sign-up for updates"), {"fields": ["updates_consent_text"]}),
        (_("After closing"), {"fields": ["outcome"]}),
        (_("Record"), {"fields": ["action_count", "published_at", "created_at", "updated_at"]}),
    ]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["office", "holder", "organisation", "email"]
    search_fields = ["office", "holder", "organisation", "email"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["subject", "campaign"]
    search_fields = ["subject", "campaign__title"]
    list_select_related = ["campaign"]
