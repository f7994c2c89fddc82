from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from urgentaction.actions.models import Action
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory


@pytest.mark.django_db(transaction=True)
def test_the_count_stays_right_under_concurrent_submissions(settings):
    # All 100 come from one address here: not the network limit's business in this test.
    settings.ACTIONS_PER_NETWORK_PER_HOUR = 1000
    campaign = CampaignFactory(requires_confirmation=False)

    def submit(worker: int) -> list[int]:
        client = Client()
        try:
            return [
                client.post(
                    campaign.get_absolute_url(), valid_data(email=f"w{worker}-{n}@people.example")
                ).status_code
                for n in range(25)
            ]
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        codes = [code for codes in pool.map(submit, range(4)) for code in codes]

    assert codes == [302] * 100
    assert Campaign.objects.get(pk=campaign.pk).action_count == 100 == Action.objects.count()
