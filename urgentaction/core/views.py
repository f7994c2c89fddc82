from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from urgentaction.core import pow
from urgentaction.lib.client_ip import network_key


@never_cache
@require_GET
def pow_challenge(request: HttpRequest) -> JsonResponse:
    """A proof-of-work challenge for the forms' widget: more work for a busy network."""
    return JsonResponse(pow.new_challenge(network=network_key(request)))
