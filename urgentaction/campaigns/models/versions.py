"""A campaign's version, its ``updated_at``: the key its cached pages and what web
processes keep of it for letters (``actions/kept.py``) are kept under. Saving the campaign
or its letter moves it; so does anything done to its targets, however it is done (the
admin, a command, the shell), here."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from urgentaction.campaigns.models.campaign import Campaign
from urgentaction.campaigns.models.targets import Target


def _new_version(campaigns) -> None:
    campaigns.update(updated_at=timezone.now())


def _of_target(target: Target):
    return Campaign.objects.filter(Q(targets=target) | Q(copy_targets=target))


@receiver(post_save, sender=Target)
@receiver(pre_delete, sender=Target)
def _target_changed(sender, instance: Target, **kwargs) -> None:
    _new_version(Campaign.objects.filter(pk__in=_of_target(instance).values("pk")))


@receiver(m2m_changed, sender=Campaign.targets.through)
@receiver(m2m_changed, sender=Campaign.copy_targets.through)
def _targets_added_or_removed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """``campaign.targets.add(target)``, ``target.campaigns.remove(campaign)`` and the
    like; a target's campaigns cleared are read before they go."""
    if action in ("post_add", "post_remove"):
        _new_version(Campaign.objects.filter(pk__in=pk_set if reverse else [instance.pk]))
    elif action == "pre_clear":
        if reverse:
            _new_version(Campaign.objects.filter(pk__in=_of_target(instance).values("pk")))
        else:
            _new_version(Campaign.objects.filter(pk=instance.pk))
