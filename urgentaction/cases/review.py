"""Staff decide what of a case's responses is published. A pasted reply is a writer's
private copy until staff publish it; one they decline is deleted at once. Whatever
changes what a case's page shows marks the campaign changed, so that cached copies of
the page are made again."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from urgentaction.campaigns.models import Campaign
from urgentaction.cases.models import Answer


def renew_case_pages(campaign_ids: Iterable[int]) -> None:
    Campaign.objects.filter(pk__in=set(campaign_ids)).update(updated_at=timezone.now())


def _campaigns_of(answers) -> list[int]:
    return list(answers.values_list("questionnaire__action__campaign_id", flat=True))


@transaction.atomic
def publish_replies(answers, *, by) -> int:
    """Publish the pasted replies among ``answers`` (as staff may have edited them)."""
    chosen = answers.exclude(reply="")
    campaigns = _campaigns_of(chosen)
    done = chosen.update(review=Answer.Review.PUBLISHED, reviewed_at=timezone.now(), reviewed_by=by)
    renew_case_pages(campaigns)
    return done


@transaction.atomic
def decline_replies(answers, *, by) -> int:
    """Never publish the pasted replies among ``answers``: their text is deleted."""
    chosen = answers.exclude(reply="")
    campaigns = _campaigns_of(chosen.filter(review=Answer.Review.PUBLISHED))
    done = chosen.update(
        review=Answer.Review.DECLINED, reply="", reviewed_at=timezone.now(), reviewed_by=by
    )
    renew_case_pages(campaigns)
    return done


def forget_replies(actions) -> None:
    """Erasure: the replies the writers of ``actions`` pasted go, wherever they show."""
    answers = Answer.objects.filter(questionnaire__action__in=actions).exclude(reply="")
    renew_case_pages(_campaigns_of(answers.filter(review=Answer.Review.PUBLISHED)))
    answers.update(reply="", review=Answer.Review.NONE)
