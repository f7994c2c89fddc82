from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_uses_https(app_configs, **kwargs) -> list[Warning]:
    """Links in emails (confirmations, one-click unsubscribe) must be HTTPS in production:
    RFC 8058 requires it, and tokens must not travel in clear."""
    if settings.HTTPS and not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                "SITE_URL does not start with https:// although HTTPS is on.",
                hint="Set SITE_URL to the public https:// address of the site.",
                id="urgentaction.W001",
            )
        ]
    return []
