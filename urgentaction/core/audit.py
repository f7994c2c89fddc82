"""The audit log of staff access to personal data."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from urgentaction.core.models import AuditEntry
from urgentaction.lib.hashing import email_hash


def record(request: HttpRequest, kind: str, subject: str, detail: str = "") -> None:
    AuditEntry.objects.create(
        user=request.user, kind=kind, subject=subject[:200], detail=detail[:500]
    )


def record_for_key(*, key_name: str, kind: str, subject: str, detail: str = "") -> None:
    """An entry for a partner's system that read or erased personal data with an API key."""
    AuditEntry.objects.create(
        api_key=key_name[:100], kind=kind, subject=subject[:200], detail=detail[:500]
    )


class AuditedAdmin(admin.ModelAdmin):
    """An admin whose lists and records hold personal data: each look and each deletion
    is logged.

    Personal fields are encrypted, so they cannot be searched: a full email address
    finds a person's records through its keyed hash, at ``email_hash_field``."""

    email_hash_field = "email_hash"
    search_help_text = _("Search by a full email address.")

    def get_search_results(self, request, queryset, search_term):
        if "@" in search_term:
            matches = queryset.filter(**{self.email_hash_field: email_hash(search_term)})
            return matches, False
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            query = request.GET.copy()
            if "@" in query.get("q", ""):
                # The log must not keep the very address that was looked for.
                query["q"] = "(an email address)"
            query = query.urlencode()
            record(
                request, AuditEntry.Kind.VIEW_LIST, str(self.model._meta.verbose_name_plural), query
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            record(request, AuditEntry.Kind.VIEW, f"{self.model._meta.verbose_name} {object_id}")
        return response

    def delete_model(self, request, obj) -> None:
        record(request, AuditEntry.Kind.DELETE, f"{self.model._meta.verbose_name} {obj.pk}")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for pk in queryset.values_list("pk", flat=True):
            record(request, AuditEntry.Kind.DELETE, f"{self.model._meta.verbose_name} {pk}")
        super().delete_queryset(request, queryset)
