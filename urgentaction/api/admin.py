from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from urgentaction.api.keys import issue, revoke
from urgentaction.api.models import ApiKey, ApiKeyQuerySet, Scope


class NewKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scopes"]

    def clean_scopes(self) -> list[str]:
        return sorted(self.cleaned_data["scopes"])


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Staff make keys (the key is shown once, on the page after), see them, and revoke
    them. A key never changes once made: make a new one with other scopes instead."""

    form = NewKeyForm
    list_display = ["name", "prefix", "scope_list", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    actions = ["revoke_keys"]
    fields = ["name", "scopes"]
    shown_fields = ["name", "prefix", "scope_list", "created_at", "created_by", "last_used_at"]

    @admin.display(description=_("scopes"))
    def scope_list(self, key: ApiKey) -> str:
        return ", ".join(key.scopes)

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return self.fields if obj is None else [*self.shown_fields, "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return [] if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        # Revoked, never deleted: the list keeps who had which key, and when it stopped.
        return False

    def save_model(self, request: HttpRequest, obj: ApiKey, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
            obj.secret = issue(key=obj)
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue=None
    ) -> HttpResponse:
        # Shown in this response, not carried to the next page in a message: a message
        # would travel in a cookie.
        context = {**self.admin_site.each_context(request), "key": obj, "secret": obj.secret}
        context["opts"] = self.opts
        response = TemplateResponse(request, "admin/api/apikey/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: ApiKeyQuerySet) -> None:
        keys = list(queryset.active())
        count = revoke(keys=queryset)
        for key in keys:
            self.log_change(request, key, "Revoked")
        message = ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
