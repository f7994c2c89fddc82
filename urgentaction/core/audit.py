"""The audit log of staff access to personal data."""

from django.contrib import admin
from django.http import HttpRequest

from urgentaction.core.models import AuditEntry


def record(request: HttpRequest, kind: str, subject: str, detail: str = "") -> None:
    AuditEntry.objects.create(
        user=request.user, kind=kind, subject=subject[:200], detail=detail[:500]
    )


class AuditedAdmin(admin.ModelAdmin):
    """An admin whose lists and records hold personal data: each look is logged."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            query = request.GET.urlencode()
            record(
                request, AuditEntry.Kind.VIEW_LIST, str(self.model._meta.verbose_name_plural), query
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            record(request, AuditEntry.Kind.VIEW, f"{self.model._meta.verbose_name} {object_id}")
        return response
