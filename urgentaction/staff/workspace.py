"""The staff app's part of the admin site (core/admin_site.py calls it): its pages, the
staff home's contents, and the navigation in campaigners' words."""

from django.http import HttpRequest

from urgentaction.core.admin_site import Workspace
from urgentaction.staff.alerts import alerts
from urgentaction.staff.home import live_campaigns
from urgentaction.staff.navigation import arrange


class CampaignerWorkspace(Workspace):
    def home(self, request: HttpRequest) -> dict[str, object]:
        return {"alerts": alerts(request), "live_campaigns": live_campaigns(request)}

    def navigation(self, request: HttpRequest, app_list: list[dict]) -> list[dict]:
        return arrange(request, app_list)
