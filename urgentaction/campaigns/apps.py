from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "urgentaction.campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # What moves a campaign's version when its targets change.
        from urgentaction.campaigns.models import versions  # noqa: F401
