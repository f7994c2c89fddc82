from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Status

from urgentaction.api.access import webhook_or_404, webhooks_of
from urgentaction.api.auth import ApiKeyAuth
from urgentaction.api.models import Scope, WebhookEndpoint
from urgentaction.api.problems import InvalidFields, documented
from urgentaction.api.schemas import Webhook, WebhookCreated, WebhookIn
from urgentaction.api.webhooks.addresses import Refused
from urgentaction.api.webhooks.registry import MOST_PER_KEY, register_endpoint

# Managing webhooks is the write scope's: reading them back tells a key nothing more.
router = Router(tags=["webhooks"], auth=ApiKeyAuth(Scope.WRITE))


def webhook_data(endpoint: WebhookEndpoint) -> dict[str, object]:
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "events": endpoint.events,
        "personal": endpoint.personal,
        "created_date": endpoint.created_at,
        "failing_since": endpoint.failing_since,
        "disabled_date": endpoint.disabled_at,
    }


@router.post("/webhooks", response={201: WebhookCreated, **documented(401, 403, 422, 429)})
def register(request: HttpRequest, webhook: WebhookIn):
    """Have ``events`` sent to ``url``, signed per Standard Webhooks with the ``secret``
    in the answer, which is shown only this once. Payloads carry personal data only if
    the key has the personal scope. Scope: write."""
    key = request.auth
    if webhooks_of(key).count() >= MOST_PER_KEY:
        raise InvalidFields(
            {"url": f"A key may register {MOST_PER_KEY} webhooks at most: delete one first."}
        )
    try:
        endpoint, secret = register_endpoint(
            url=webhook.url,
            events=webhook.events,
            personal=key.allows(Scope.PERSONAL),
            api_key=key,
        )
    except Refused as refusal:
        raise InvalidFields({"url": str(refusal)}) from None
    except ValidationError as error:
        raise InvalidFields(
            {field: messages[0] for field, messages in error.message_dict.items()}
        ) from None
    return Status(201, {**webhook_data(endpoint), "secret": secret})


@router.get("/webhooks", response={200: list[Webhook], **documented(401, 403, 429)})
def list_webhooks(request: HttpRequest):
    """The webhooks this key registered, newest first. Scope: write."""
    return [webhook_data(endpoint) for endpoint in webhooks_of(request.auth)]


@router.delete("/webhooks/{id}", response={204: None, **documented(401, 403, 404, 429)})
def delete_webhook(request: HttpRequest, id: int):
    """Stop a webhook this key registered: nothing more is sent to it, not even what was
    waiting. Scope: write."""
    webhook_or_404(request.auth, id).delete()
    return Status(204, None)
