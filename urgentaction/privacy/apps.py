from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Erasing and exporting a person, and retention: the one place that knows every
    personal field of every app (docs/privacy.md)."""

    name = "urgentaction.privacy"
    verbose_name = _("Privacy")
