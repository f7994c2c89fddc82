"""The one way the endpoints load what they show: campaigns that are published (never a
draft), people who are still on record (never someone erased), and a key's own webhooks."""

from django.http import Http404

from urgentaction.api.models import ApiKey, WebhookEndpoint, WebhookEndpointQuerySet
from urgentaction.campaigns.models import Campaign, CampaignQuerySet
from urgentaction.supporters.models import Supporter


def published_campaigns(campaigns: CampaignQuerySet | None = None) -> CampaignQuerySet:
    return (Campaign.objects.all() if campaigns is None else campaigns).public()


def campaign_or_404(slug: str, *, campaigns: CampaignQuerySet | None = None) -> Campaign:
    campaign = published_campaigns(campaigns).filter(slug=slug).first()
    if campaign is None:
        raise Http404("There is no published campaign at this address.")
    return campaign


def person_with_email(email: str) -> Supporter | None:
    return Supporter.objects.with_email(email).exclude(email="").first()


def webhooks_of(key: ApiKey) -> WebhookEndpointQuerySet:
    """The webhook endpoints a key registered: the only ones it may see or delete."""
    return WebhookEndpoint.objects.filter(api_key=key)


def webhook_or_404(key: ApiKey, pk: int) -> WebhookEndpoint:
    endpoint = webhooks_of(key).filter(pk=pk).first()
    if endpoint is None:
        raise Http404("This key registered no webhook with this id.")
    return endpoint
