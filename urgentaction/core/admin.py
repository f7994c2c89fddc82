from django.contrib import admin

from urgentaction.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "who", "kind", "subject", "detail"]
    list_filter = ["kind", "user", "api_key", "at"]
    search_fields = ["subject", "detail", "user__username", "api_key"]
    readonly_fields = ["at", "user", "api_key", "kind", "subject", "detail"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
