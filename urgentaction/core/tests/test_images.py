import io

import pytest
from PIL import Image, ImageCms

from urgentaction.core.tests.images import (
    BLUE,
    RED,
    halves,
    jpeg_with_metadata,
    pixels,
    png_header,
    tiny_png,
    webp_with_metadata,
)
from urgentaction.lib.images import PhotoTooLarge, clean_photo

SECRET = b"51.5007N 0.1246W by Ada Lovelace"


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    output = io.BytesIO()
    image.save(output, kind, **options)
    return output.getvalue()


def near(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=False))


def test_it_cuts_exif_xmp_iptc_and_comments_out_of_a_jpeg():
    photo = clean_photo(jpeg_with_metadata(640, 480, SECRET))

    (only,) = photo.renditions
    assert (photo.kind, only.width, only.height, photo.extension) == ("jpeg", 640, 480, ".jpg")
    assert SECRET not in only.data
    image = pixels(only.data)
    assert image.format == "JPEG" and image.size == (640, 480)
    assert not image.getexif() and "comment" not in image.info and "xmp" not in image.info


def test_it_turns_a_photo_upright_as_its_exif_says_before_dropping_the_exif():
    # Orientation 6: the camera was turned a quarter clockwise; the left side is the top.
    photo = clean_photo(jpeg_with_metadata(40, 20, SECRET, orientation=6))

    image = pixels(photo.renditions[0].data)
    assert image.size == (20, 40)
    assert near(image.getpixel((10, 5)), RED) and near(image.getpixel((10, 35)), BLUE)
    assert not image.getexif()


def test_it_cuts_text_chunks_out_of_a_png_and_keeps_its_pixels():
    photo = clean_photo(tiny_png(3, 2, text=SECRET))

    (only,) = photo.renditions
    assert (photo.kind, only.width, only.height) == ("png", 3, 2)
    assert SECRET not in only.data
    assert pixels(only.data).tobytes() == b"\x80" * 6


def test_it_cuts_exif_and_xmp_out_of_a_webp():
    photo = clean_photo(webp_with_metadata(800, 600, SECRET))

    (only,) = photo.renditions
    assert (photo.kind, only.width, only.height, photo.extension) == ("webp", 800, 600, ".webp")
    assert SECRET not in only.data
    assert pixels(only.data).format == "WEBP"


@pytest.mark.parametrize(
    ("size", "renditions"),
    [
        ((4000, 3000), [(1600, 1200), (800, 600)]),
        ((1000, 500), [(1000, 500), (800, 400)]),
        ((800, 1200), [(800, 1200)]),
        ((300, 200), [(300, 200)]),
    ],
)
def test_it_makes_a_photo_at_most_1600_pixels_wide_and_800_for_phones(size, renditions):
    photo = clean_photo(encoded(halves(*size), "PNG"))

    assert [(r.width, r.height) for r in photo.renditions] == renditions
    assert [pixels(r.data).size for r in photo.renditions] == renditions


def test_it_keeps_the_colour_profile():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    photo = clean_photo(encoded(halves(2000, 100), "JPEG", icc_profile=srgb))

    assert all(pixels(r.data).info["icc_profile"] == srgb for r in photo.renditions)


def test_it_turns_a_printers_cmyk_jpeg_into_rgb():
    photo = clean_photo(encoded(halves(20, 10).convert("CMYK"), "JPEG"))

    image = pixels(photo.renditions[0].data)
    assert image.mode == "RGB" and near(image.getpixel((2, 5)), RED)


def test_it_keeps_a_palette_pngs_transparency():
    image = Image.new("P", (20, 10), 1)
    image.putpalette([0, 0, 0, 200, 30, 30])

    photo = clean_photo(encoded(image, "PNG", transparency=0))

    assert pixels(photo.renditions[0].data).mode == "RGBA"


@pytest.mark.parametrize("size", [(10_000, 6_000), (20_000, 20_000)])
def test_it_refuses_a_photo_with_too_many_pixels_before_decoding_it(size):
    with pytest.raises(PhotoTooLarge):
        clean_photo(png_header(*size))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        encoded(halves(4, 4), "GIF"),
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        jpeg_with_metadata(10, 10, SECRET)[:400],
        tiny_png()[:30],
        png_header(10, 10),
        b"\xff\xd8\xff\xe1\xff\xff" + bytes(10),
    ],
    ids=["empty", "gif", "svg", "cut jpeg", "cut png", "png without pixels", "jpeg segment"],
)
def test_it_refuses_what_it_cannot_read_as_a_photo(data):
    with pytest.raises(ValueError):
        clean_photo(data)
