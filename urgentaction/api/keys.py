"""Making, finding and revoking API keys. A key is 256 random bits; only its SHA-256 is
kept (a slow hash would add nothing to a key that long, and would cost every request)."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from urgentaction.api.models import ApiKey, ApiKeyQuerySet, WebhookDelivery
from urgentaction.lib.outbox import OutboxStatus

PREFIX = "ua_"
# How stale "last used" may be: it is written at most this often, not on every request.
LAST_USED_PRECISION = timedelta(hours=1)


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(*, key: ApiKey) -> str:
    """Give an unsaved key its secret, and return it: the one time it can be seen."""
    secret = PREFIX + secrets.token_urlsafe(32)
    key.prefix = secret[: len(PREFIX) + 6]
    key.key_hash = hash_key(secret)
    return secret


@transaction.atomic
def create_key(
    *, name: str, scopes: Iterable[str], created_by: AbstractBaseUser | None = None
) -> tuple[ApiKey, str]:
    """A new key and its secret. Raises ValidationError for a name in use or an unknown
    scope."""
    key = ApiKey(name=name, scopes=sorted(set(scopes)), created_by=created_by)
    secret = issue(key=key)
    key.full_clean()
    key.save()
    return key, secret


def find_key(*, secret: str) -> ApiKey | None:
    """The live key with this secret. Looked up on every request, so that revoking a key
    stops it at once."""
    return ApiKey.objects.active().filter(key_hash=hash_key(secret)).first()


def note_use(*, key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or key.last_used_at < now - LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


@transaction.atomic
def revoke(*, keys: ApiKeyQuerySet) -> int:
    """Revoke keys at once, and the webhooks they registered with them: what was waiting
    for those is never sent."""
    revoked = list(keys.active().values_list("pk", flat=True))
    WebhookDelivery.objects.filter(
        endpoint__api_key__in=revoked, status__in=[OutboxStatus.PENDING, OutboxStatus.HELD]
    ).update(status=OutboxStatus.CANCELLED, payload="")
    return ApiKey.objects.filter(pk__in=revoked).update(revoked_at=timezone.now())
