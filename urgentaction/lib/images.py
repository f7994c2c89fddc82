"""Photos staff upload, made fit to publish: the image is decoded with Pillow (JPEG, PNG or
WebP, the kind read from the bytes, never the name), turned upright as its EXIF
orientation says, and encoded anew at a few widths. Only the pixels and the colour
profile are written back: the metadata cameras and phones write (EXIF with GPS position,
XMP, IPTC, comments, text chunks) stays behind, so that a photo never tells where or when
it was taken, or by whom."""

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageOps

KINDS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
# 50 megapixels is more than a phone's camera takes by default; the limit keeps a small
# file that unpacks into billions of pixels from filling the server's memory.
MOST_PIXELS = 50_000_000
KEPT_MODES = {"RGB", "RGBA", "L", "LA"}
ENCODING = {
    "jpeg": {"format": "JPEG", "quality": 85, "optimize": True, "progressive": True},
    "png": {"format": "PNG", "optimize": True},
    "webp": {"format": "WEBP", "quality": 85},
}


class PhotoTooLarge(ValueError):
    """The image has more pixels than MOST_PIXELS."""


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class Photo:
    kind: str  # "jpeg", "png" or "webp"
    renditions: tuple[Rendition, ...]  # the widest first

    @property
    def extension(self) -> str:
        return {"jpeg": ".jpg", "png": ".png", "webp": ".webp"}[self.kind]

    @property
    def content_type(self) -> str:
        return f"image/{self.kind}"


def read_photo(data: bytes) -> tuple[str, Image.Image]:
    """The kind and the decoded, upright image in ``data``; PhotoTooLarge if it has too
    many pixels, ValueError if it is not a whole JPEG, PNG or WebP image."""
    try:
        with warnings.catch_warnings():
            # Pillow warns of images above its own limit, which is higher than ours.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(KINDS))
        if image.width * image.height > MOST_PIXELS:
            raise PhotoTooLarge(f"{image.width} by {image.height} pixels")
        image.load()
        upright = ImageOps.exif_transpose(image)
    except PhotoTooLarge:
        raise
    except Image.DecompressionBombError as error:  # far past Pillow's limit
        raise PhotoTooLarge(str(error)) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValueError("not a whole JPEG, PNG or WebP image") from error
    return KINDS[image.format], upright


def clean_photo(data: bytes, *, widths: Sequence[int] = (1600, 800)) -> Photo:
    """The photo in ``data`` at most ``widths[0]`` pixels wide, and at each narrower width
    it is wider than, without its metadata; errors as read_photo's."""
    kind, image = read_photo(data)
    # A CMYK profile would be wrong for the RGB pixels made from it; the others still fit.
    profile = image.info.get("icc_profile") if image.mode in KEPT_MODES | {"P"} else None
    if image.mode not in KEPT_MODES:
        # Palettes do not resize smoothly and CMYK is for printers, not browsers.
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    # Pillow writes some of what it read back out (a JPEG's comment, say) unless it is gone.
    image.info = {}
    largest = min(image.width, widths[0])
    renditions = tuple(
        _encode(image, width, kind, profile)
        for width in [largest, *[w for w in widths[1:] if w < largest]]
    )
    return Photo(kind, renditions)


def _encode(image: Image.Image, width: int, kind: str, profile: bytes | None) -> Rendition:
    if width != image.width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    output = io.BytesIO()
    image.save(output, **ENCODING[kind], **({"icc_profile": profile} if profile else {}))
    return Rendition(image.width, image.height, output.getvalue())
