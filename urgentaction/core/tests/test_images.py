import pytest

from urgentaction.core.tests.images import jpeg_with_metadata, tiny_png, webp_with_metadata
from urgentaction.lib.images import clean_photo

SECRET = b"51.5007N 0.1246W by Ada Lovelace"


def test_it_cuts_exif_xmp_iptc_and_comments_out_of_a_jpeg():
    photo = clean_photo(jpeg_with_metadata(640, 480, SECRET))

    assert (photo.kind, photo.width, photo.height, photo.extension) == ("jpeg", 640, 480, ".jpg")
    assert SECRET not in photo.data
    assert photo.data.startswith(b"\xff\xd8\xff\xe0")  # the JFIF header stays
    assert photo.data.endswith(b"\x12\x34\xff\x00\x56\xff\xd9")  # and every pixel


def test_it_cuts_text_chunks_out_of_a_png():
    photo = clean_photo(tiny_png(3, 2, text=SECRET))

    assert (photo.kind, photo.width, photo.height) == ("png", 3, 2)
    assert SECRET not in photo.data
    assert photo.data == tiny_png(3, 2)


def test_it_cuts_exif_and_xmp_out_of_a_webp_and_says_so_in_its_header():
    original = webp_with_metadata(800, 600, SECRET)

    photo = clean_photo(original)

    assert (photo.kind, photo.width, photo.height) == ("webp", 800, 600)
    assert SECRET not in photo.data
    assert photo.data[20] & 0x0C == 0  # no EXIF or XMP announced in VP8X
    assert int.from_bytes(photo.data[4:8], "little") == len(photo.data) - 8


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"GIF89a" + bytes(20),
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        jpeg_with_metadata(10, 10, SECRET)[:40],
        tiny_png()[:30],
        b"\xff\xd8\xff\xe1\xff\xff" + bytes(10),
    ],
    ids=["empty", "gif", "svg", "cut jpeg", "cut png", "jpeg segment past the end"],
)
def test_it_refuses_what_it_cannot_read_as_a_photo(data):
    with pytest.raises(ValueError):
        clean_photo(data)
