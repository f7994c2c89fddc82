"""What a submit reads that only staff change is kept by the process (actions/kept.py),
and a staff change is seen by the next letter."""

import pytest

from urgentaction.actions.models import Action, BlockedWord, Delivery
from urgentaction.actions.tests.factories import valid_data
from urgentaction.campaigns.models import Campaign
from urgentaction.campaigns.tests.factories import CampaignFactory, TargetFactory
from urgentaction.supporters.models import Consent, ConsentText

pytestmark = pytest.mark.django_db


def write(client, campaign, n: int, **overrides):
    data = valid_data(email=f"writer{n}@people.example", **overrides)
    return client.post(campaign.get_absolute_url(), data)


def test_a_blocked_word_added_or_changed_holds_the_next_letter(client):
    campaign = CampaignFactory(requires_confirmation=False)
    word = BlockedWord.objects.create(phrase="spam")
    write(client, campaign, 1, body="Please act now.")

    word.phrase = "act now"
    word.save()
    write(client, campaign, 2, body="Please act now.")
    BlockedWord.objects.create(phrase="urgently")
    write(client, campaign, 3, body="Please free her urgently.")

    held = list(Action.objects.order_by("pk").values_list("held_reasons", flat=True))
    assert held == [[], ["blocked word: act now"], ["blocked word: urgently"]]


def test_a_campaigns_new_target_gets_the_next_letter(client):
    first, second = TargetFactory(), TargetFactory(office="Home Secretary")
    campaign = CampaignFactory(targets=[first], requires_confirmation=False)
    write(client, campaign, 1)

    campaign.targets.add(second)
    write(client, campaign, 2)

    latest = Action.objects.order_by("pk").last()
    assert {d.target for d in latest.deliveries.all()} == {first, second}


def test_a_target_removed_outside_the_admin_gets_no_more_letters(client):
    """However a campaign's targets are changed (a command, the shell), the next letter
    is made from them as they are now (campaigns/models/versions.py)."""
    kept, dropped = TargetFactory(), TargetFactory(office="Home Secretary")
    campaign = CampaignFactory(targets=[kept, dropped], requires_confirmation=False)
    write(client, campaign, 1)

    dropped.campaigns.remove(campaign)
    write(client, campaign, 2)

    latest = Action.objects.order_by("pk").last()
    assert {d.target for d in latest.deliveries.all()} == {kept}


def test_a_target_saved_or_deleted_anywhere_moves_its_campaigns_version():
    target, copied = TargetFactory(), TargetFactory(office="Home Secretary")
    campaign = CampaignFactory(targets=[target], copy_targets=[copied])
    other = CampaignFactory()

    def versions():
        return dict(Campaign.objects.values_list("pk", "updated_at"))

    before = versions()
    target.salutation = "Dear Minister"
    target.save()
    after_save = versions()
    copied.delete()
    after_delete = versions()

    assert after_save[campaign.pk] > before[campaign.pk]
    assert after_delete[campaign.pk] > after_save[campaign.pk]
    assert after_delete[other.pk] == before[other.pk]


def test_a_target_deleted_by_staff_is_no_longer_written_to(admin_client):
    kept, gone = TargetFactory(), TargetFactory(office="Home Secretary")
    campaign = CampaignFactory(targets=[kept], copy_targets=[gone], requires_confirmation=False)
    write(admin_client, campaign, 1, channel="post")  # no copy to send, so it may go

    admin_client.post(f"/admin/campaigns/target/{gone.pk}/delete/", {"post": "yes"})
    response = write(admin_client, campaign, 2)

    assert response.status_code == 302
    assert set(Delivery.objects.values_list("target", flat=True)) == {kept.pk}


def test_a_closed_campaign_takes_no_more_letters(client):
    campaign = CampaignFactory(requires_confirmation=False)
    write(client, campaign, 1)

    campaign.status = Campaign.Status.CLOSED
    campaign.save()
    write(client, campaign, 2)

    assert Action.objects.count() == 1


def test_the_wording_shown_is_the_one_recorded_even_when_a_newer_one_came(client):
    campaign = CampaignFactory(requires_confirmation=False)
    shown = ConsentText.objects.create(wording="Email me news.", details="Monthly.")
    write(client, campaign, 1)

    ConsentText.objects.create(wording="Email me news, often.", details="Weekly.")
    write(client, campaign, 2, wants_updates="on", consent_version=str(shown.pk))
    write(client, campaign, 3, wants_updates="on")

    texts = Consent.objects.order_by("pk").values_list("text__wording", flat=True)
    assert list(texts) == ["Email me news.", "Email me news, often."]
