from functools import partial

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from urgentaction.campaigns import admin as campaigns_admin
from urgentaction.campaigns.models import Campaign
from urgentaction.core import audit
from urgentaction.core.models import AuditEntry
from urgentaction.letters.exports import signatories_csv, standing_actions
from urgentaction.letters.models import HandInBundle
from urgentaction.letters.tasks import make_again, make_bundle_job


def may_export_supporters(request) -> bool:
    """Signatories and letters with home addresses, taken off the site in bulk: seeing
    campaigns, bundles or even supporters one by one is not enough."""
    return request.user.has_perm("supporters.export_supporter")


class BundleForm(forms.ModelForm):
    class Meta:
        model = HandInBundle
        fields = ["campaign", "kind", "target", "written_from", "written_until"]

    def clean(self):
        data = super().clean()
        campaign, target = data.get("campaign"), data.get("target")
        if campaign and target and not _targets_of(campaign).filter(pk=target.pk).exists():
            self.add_error("target", _("Choose one of the campaign's targets."))
        start, end = data.get("written_from"), data.get("written_until")
        if start and end and start > end:
            self.add_error("written_until", _("The end date must be on or after the start date."))
        return data


def _targets_of(campaign: Campaign):
    """Whom a bundle of the campaign's letters may be for: a target, or a copy target (it
    then holds copies)."""
    return (campaign.targets.all() | campaign.copy_targets.all()).distinct()


@admin.register(HandInBundle)
class HandInBundleAdmin(admin.ModelAdmin):
    form = BundleForm
    list_display = ["__str__", "target", "status", "letters", "pages", "created_at", "download"]
    list_filter = ["status", "kind", "campaign"]
    readonly_fields = ["status", "letters", "pages", "error", "requested_by", "finished_at"]
    actions = ["make_bundles_again"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and may_export_supporters(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        obj.requested_by = request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(partial(make_bundle_job.enqueue, obj.pk))

    # Making a bundle again takes what asking for one takes (the right to export).
    @admin.action(description=_("Make again"), permissions=["add"])
    def make_bundles_again(self, request, bundles) -> None:
        count = make_again(bundles)
        self.message_user(
            request,
            ngettext(
                "%(count)d bundle is being made again.",
                "%(count)d bundles are being made again.",
                count,
            )
            % {"count": count},
        )

    @admin.display(description=_("PDF"))
    def download(self, bundle: HandInBundle) -> str:
        if bundle.status != HandInBundle.Status.READY:
            return bundle.get_status_display()
        url = reverse("admin:letters_handinbundle_download", args=[bundle.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="letters_handinbundle_download",
            )
        ]
        return urls + super().get_urls()

    def download_view(self, request, pk: int) -> FileResponse:
        if not (self.has_view_permission(request) and may_export_supporters(request)):
            raise PermissionDenied
        bundle = get_object_or_404(HandInBundle, pk=pk, status=HandInBundle.Status.READY)
        if not bundle.path.exists():
            raise Http404
        name = f"{bundle.campaign.slug}-{bundle.kind}-{bundle.pk}.pdf"
        audit.record(request, AuditEntry.Kind.DOWNLOAD, str(bundle), name)
        return FileResponse(bundle.path.open("rb"), as_attachment=True, filename=name)


@admin.action(
    description=_("Download the signatories as CSV (names and towns)"),
    permissions=["export_supporters"],
)
def download_signatories(modeladmin, request, campaigns) -> StreamingHttpResponse:
    titles = ", ".join(campaign.title for campaign in campaigns)
    audit.record(request, AuditEntry.Kind.EXPORT, "signatories CSV", titles)
    response = StreamingHttpResponse(
        signatories_csv(standing_actions(campaigns).iterator(chunk_size=1000)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="signatories.csv"'
    return response


admin.site.unregister(Campaign)


@admin.register(Campaign)
class CampaignAdmin(campaigns_admin.CampaignAdmin):
    """The campaigns' admin, with the download of their signatories: it reads letters, an
    app above campaigns, so it is added here (campaigns/admin/ registers the rest)."""

    actions = [*campaigns_admin.CampaignAdmin.actions, download_signatories]

    def has_export_supporters_permission(self, request) -> bool:
        return may_export_supporters(request)
