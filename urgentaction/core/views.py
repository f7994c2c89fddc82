from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from urgentaction.lib import pow
from urgentaction.lib.client_ip import network_key
from urgentaction.lib.ratelimit import current


@never_cache
@require_GET
def pow_challenge(request: HttpRequest) -> JsonResponse:
    """A proof-of-work challenge for the forms' widget. A network that has sent half its
    hourly allowance of letters gets more work before its letters are held."""
    sent = current(network_key(request), window_seconds=3600)
    harder = sent >= settings.ACTIONS_PER_NETWORK_PER_HOUR // 2
    return JsonResponse(pow.new_challenge(harder=harder))
