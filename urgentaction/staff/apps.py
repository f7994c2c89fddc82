from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The campaigners' workspace in the admin: the staff home, a dashboard per campaign,
    charts and exports, and the navigation in their words. It reads the apps below it
    through their QuerySets and writes nothing of its own."""

    name = "urgentaction.staff"
    verbose_name = _("Staff workspace")

    def ready(self) -> None:
        from urgentaction.core.admin_site import use_workspace
        from urgentaction.staff.workspace import CampaignerWorkspace

        use_workspace(CampaignerWorkspace())
