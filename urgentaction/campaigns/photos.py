"""A campaign's photo: any JPEG, PNG or WebP staff upload is stored under a random name,
upright, at most LARGEST_WIDTH pixels wide, with a rendition SMALL_WIDTH wide for phones
and with its metadata cut out (lib/images.py); the files it replaces are deleted."""

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urgentaction.lib.images import MOST_PIXELS, PhotoTooLarge, clean_photo, read_photo

MOST_BYTES = 5 * 1024 * 1024
FOLDER = "campaigns"
# Sharp on a wide screen of twice the density and in link previews; the small one is
# sharp on a phone's (390 CSS pixels at 2x).
LARGEST_WIDTH, SMALL_WIDTH = 1600, 800


def photo_name(campaign: object, filename: str) -> str:
    """A name that says nothing of the original file's (which may name a person) and is
    new with each photo, so that the photo can be cached for good."""
    return f"{FOLDER}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def validate_photo(file) -> None:
    if file.size > MOST_BYTES:
        raise ValidationError(_("Choose a photo of 5 MB or less."))
    file.seek(0)
    try:
        read_photo(file.read())
    except PhotoTooLarge:
        raise ValidationError(
            _("Choose a photo of %(megapixels)s megapixels or less.")
            % {"megapixels": MOST_PIXELS // 1_000_000}
        ) from None
    except ValueError:
        raise ValidationError(_("Choose a photo in JPEG, PNG or WebP format.")) from None
    finally:
        file.seek(0)


def store_photo(campaign) -> None:
    """Before a campaign is saved: a newly chosen photo is stored in its renditions without
    its metadata, with its size; the files it replaces (or that were cleared) go once the
    save commits."""
    previous: tuple[str, ...] = ()
    if campaign.pk:
        stored = type(campaign).objects.filter(pk=campaign.pk).values_list("photo", "photo_small")
        previous = stored.first() or ()
    if campaign.photo and not campaign.photo._committed:
        campaign.photo.seek(0)
        photo = clean_photo(campaign.photo.read(), widths=(LARGEST_WIDTH, SMALL_WIDTH))
        large, *small = photo.renditions
        name = f"photo{photo.extension}"
        campaign.photo.save(name, ContentFile(large.data), save=False)
        campaign.photo_width, campaign.photo_height = large.width, large.height
        campaign.photo_small = ""
        if small:
            campaign.photo_small.save(name, ContentFile(small[0].data), save=False)
    if not campaign.photo:
        campaign.photo_small = ""
        campaign.photo_width = campaign.photo_height = None
    kept = {campaign.photo.name, campaign.photo_small.name}
    for name in previous:
        if name and name not in kept:
            transaction.on_commit(lambda name=name: default_storage.delete(name))


def copy_photo(source, copy) -> None:
    """Give ``copy`` files of its own with ``source``'s photo (deleting one campaign's
    photo must never take another's)."""
    for field in ("photo", "photo_small"):
        original = getattr(source, field)
        if original:
            with original.open("rb") as file:
                data = file.read()
            getattr(copy, field).save(PurePath(original.name).name, ContentFile(data), save=False)
    copy.photo_alt = source.photo_alt
    copy.photo_width, copy.photo_height = source.photo_width, source.photo_height


def srcset(campaign) -> str:
    """The campaign's photo in its renditions, for an ``<img srcset>``; empty when it has
    only one."""
    if not campaign.photo_small:
        return ""
    small, large = campaign.photo_small, campaign.photo
    return f"{small.url} {SMALL_WIDTH}w, {large.url} {campaign.photo_width}w"
