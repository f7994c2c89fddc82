from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "urgentaction.core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from urgentaction.core import checks  # noqa: F401 (registers the checks)
