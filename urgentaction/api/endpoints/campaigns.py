from django.http import HttpRequest, HttpResponse
from ninja import Router

from urgentaction.api.access import campaign_or_404, published_campaigns
from urgentaction.api.present import campaign_data, campaigns_to_show
from urgentaction.api.problems import documented
from urgentaction.api.schemas import Campaign, Count
from urgentaction.campaigns.models import Campaign as CampaignModel

router = Router(tags=["campaigns"])


@router.get("/campaigns", response={200: list[Campaign], **documented(401, 403, 429)})
def list_campaigns(request: HttpRequest):
    """Published campaigns, live and closed (drafts never), the most urgent first.
    Scope: read."""
    campaigns = campaigns_to_show(published_campaigns()).most_urgent_first()
    return [campaign_data(campaign) for campaign in campaigns]


@router.get("/campaigns/{slug}", response={200: Campaign, **documented(401, 403, 404, 429)})
def get_campaign(request: HttpRequest, slug: str):
    """One published campaign, with its targets and its count. Scope: read."""
    campaigns = campaigns_to_show(CampaignModel.objects.all())
    return campaign_data(campaign_or_404(slug, campaigns=campaigns))


@router.get("/campaigns/{slug}/count", auth=None, response={200: Count, **documented(404)})
def count(request: HttpRequest, response: HttpResponse, slug: str):
    """The campaign's count, for any page to show: no key, any origin, cached for 30
    seconds. One row read by its unique slug, however many letters there are."""
    campaign = campaign_or_404(slug, campaigns=CampaignModel.objects.only("action_count", "goal"))
    response["Cache-Control"] = "public, max-age=30"
    response["Access-Control-Allow-Origin"] = "*"
    return {"total_outreaches": campaign.action_count, "goal": campaign.goal}
