"""Registering webhook endpoints: by a partner's key through the API, or by staff in the
admin. The signing secret is returned once, and kept encrypted."""

import base64
import secrets
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser

from urgentaction.api.models import ApiKey, WebhookEndpoint
from urgentaction.api.webhooks.addresses import check_url

# The most endpoints one key may register.
MOST_PER_KEY = 10


def issue_secret(endpoint: WebhookEndpoint) -> str:
    """Give an unsaved endpoint its signing secret (Standard Webhooks' ``whsec_`` and 32
    random bytes in base64), and return it: the one time it is shown."""
    endpoint.secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    return endpoint.secret


def register_endpoint(
    *,
    url: str,
    events: Iterable[str],
    personal: bool,
    api_key: ApiKey | None = None,
    created_by: AbstractBaseUser | None = None,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret. Raises Refused for a URL webhooks may not go to,
    ValidationError for a bad URL or unknown events. (No transaction is open while the
    URL's host is looked up: on SQLite it would hold the one write lock.)"""
    check_url(url)
    endpoint = WebhookEndpoint(
        url=url,
        events=sorted(set(events)),
        personal=personal,
        api_key=api_key,
        created_by=created_by,
    )
    secret = issue_secret(endpoint)
    endpoint.full_clean()
    endpoint.save()
    return endpoint, secret
