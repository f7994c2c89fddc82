from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from urgentaction.api.keys import find_key, note_use
from urgentaction.api.models import ApiKey
from urgentaction.api.problems import MissingScope, RateLimited
from urgentaction.core.ratelimit import hit, seconds_left

WINDOW_SECONDS = 60


class ApiKeyAuth(HttpBearer):
    """A live key in ``Authorization: Bearer <key>``, with every scope the endpoint
    needs, within its key's rate limit. No key, or one unknown or revoked: 401; a
    missing scope: 403; too many requests: 429."""

    def __init__(self, *scopes: str) -> None:
        super().__init__()
        self.scopes = frozenset(scopes)

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = find_key(secret=token)
        if key is None:
            return None
        # Counted before the scopes are checked: a refused request costs the key too.
        limit = settings.API_REQUESTS_PER_MINUTE
        if not hit(f"api-key:{key.pk}", limit=limit, window_seconds=WINDOW_SECONDS):
            raise RateLimited(retry_after=seconds_left(window_seconds=WINDOW_SECONDS))
        if not key.allows(*self.scopes):
            raise MissingScope(self.scopes - set(key.scopes))
        note_use(key=key)
        return key
