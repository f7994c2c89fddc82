"""A campaign's photo: any JPEG, PNG or WebP staff upload is stored under a random name
with its metadata cut out (lib/images.py), and the file it replaces is deleted."""

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.images import clean_photo

MOST_BYTES = 5 * 1024 * 1024
FOLDER = "campaigns"


def photo_name(campaign: object, filename: str) -> str:
    """A name that says nothing of the original file's (which may name a person) and is
    new with each photo, so that the photo can be cached for good."""
    return f"{FOLDER}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def validate_photo(file) -> None:
    if file.size > MOST_BYTES:
        raise ValidationError(_("Choose a photo of 5 MB or less."))
    file.seek(0)
    try:
        clean_photo(file.read())
    except ValueError:
        raise ValidationError(_("Choose a photo in JPEG, PNG or WebP format.")) from None
    finally:
        file.seek(0)


def store_photo(campaign) -> None:
    """Before a campaign is saved: a newly chosen photo is stored without its metadata,
    with its size; the photo it replaces (or that was cleared) goes once the save commits."""
    previous = ""
    if campaign.pk:
        stored = type(campaign).objects.filter(pk=campaign.pk).values_list("photo", flat=True)
        previous = stored.first() or ""
    if campaign.photo and not campaign.photo._committed:
        campaign.photo.seek(0)
        photo = clean_photo(campaign.photo.read())
        campaign.photo.save(f"photo{photo.extension}", ContentFile(photo.data), save=False)
        campaign.photo_width, campaign.photo_height = photo.width, photo.height
    if not campaign.photo:
        campaign.photo_width = campaign.photo_height = None
    if previous and previous != campaign.photo.name:
        transaction.on_commit(lambda: default_storage.delete(previous))


def copy_photo(source, copy) -> None:
    """Give ``copy`` a file of its own with ``source``'s photo (deleting one campaign's
    photo must never take another's)."""
    with source.photo.open("rb") as file:
        data = file.read()
    copy.photo.save(PurePath(source.photo.name).name, ContentFile(data), save=False)
    copy.photo_alt = source.photo_alt
    copy.photo_width, copy.photo_height = source.photo_width, source.photo_height
