"""The staff app's part of the admin site (core/admin_site.py calls it): its pages, the
staff home's contents, and the navigation in campaigners' words."""

from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django.urls import URLPattern, path

from urgentaction.core.admin_site import Workspace
from urgentaction.staff import views
from urgentaction.staff.alerts import alerts
from urgentaction.staff.home import live_campaigns
from urgentaction.staff.navigation import arrange


class CampaignerWorkspace(Workspace):
    def urls(self, site: AdminSite) -> list[URLPattern]:
        return [
            # /admin/dashboard/<slug>/ is a contract: links to it are shared and bookmarked.
            path(
                "dashboard/<slug:slug>/",
                site.admin_view(views.dashboard_view(site)),
                name="staff_dashboard",
            ),
            path(
                "dashboard/<slug:slug>/letters.csv",
                site.admin_view(views.crm_export),
                name="staff_crm_export",
            ),
            path(
                "people/<slug:layout>.csv",
                site.admin_view(views.people_export),
                name="staff_people_export",
            ),
            path(
                "dashboard/<slug:slug>/<slug:key>.csv",
                site.admin_view(views.chart_csv),
                name="staff_dashboard_csv",
            ),
        ]

    def home(self, request: HttpRequest) -> dict[str, object]:
        return {"alerts": alerts(request), "live_campaigns": live_campaigns(request)}

    def navigation(self, request: HttpRequest, app_list: list[dict]) -> list[dict]:
        return arrange(request, app_list)
