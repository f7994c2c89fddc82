"""Small real images for tests, with the metadata cameras and phones write."""

import io
import struct
import zlib

from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RED, BLUE = (200, 30, 30), (30, 30, 200)
ORIENTATION, DESCRIPTION, ARTIST, GPS = 0x0112, 0x010E, 0x013B, 0x8825


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def tiny_png(width: int = 1, height: int = 1, *, text: bytes = b"") -> bytes:
    """A valid grey PNG of this size, with a text chunk if ``text``."""
    rows = b"".join(b"\0" + b"\x80" * width for _row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    extra = _png_chunk(b"tEXt", b"Comment\0" + text) if text else b""
    return (
        PNG_SIGNATURE
        + _png_chunk(b"IHDR", header)
        + extra
        + _png_chunk(b"IDAT", zlib.compress(rows))
        + _png_chunk(b"IEND", b"")
    )


def png_header(width: int, height: int) -> bytes:
    """A PNG that says it is this size, and has no pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b""))
        + _png_chunk(b"IEND", b"")
    )


def halves(width: int, height: int) -> Image.Image:
    """An image red on its left half and blue on its right, to tell which way is up."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    return image


def _exif(secret: bytes, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[DESCRIPTION] = secret.decode()
    exif[ARTIST] = secret.decode()
    gps = exif.get_ifd(GPS)
    gps[1], gps[2] = "N", (51.0, 30.0, 2.52)  # where the photo was taken
    return exif.tobytes()


def _xmp(secret: bytes) -> bytes:
    creator = b"<dc:creator>" + secret + b"</dc:creator>"
    return b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + creator + b"</x:xmpmeta>"


def jpeg_with_metadata(width: int, height: int, secret: bytes, *, orientation: int = 1) -> bytes:
    """A JPEG as a camera writes it, with ``secret`` in its EXIF (GPS too), XMP, IPTC and
    comment, and ``orientation`` in its EXIF."""
    output = io.BytesIO()
    halves(width, height).save(
        output, "JPEG", exif=_exif(secret, orientation), xmp=_xmp(secret), comment=secret
    )
    body = b"Photoshop 3.0\0" + secret
    iptc = b"\xff\xed" + struct.pack(">H", len(body) + 2) + body
    data = output.getvalue()
    return data[:2] + iptc + data[2:]


def webp_with_metadata(width: int, height: int, secret: bytes) -> bytes:
    """A WebP with EXIF and XMP chunks holding ``secret``."""
    output = io.BytesIO()
    halves(width, height).save(output, "WEBP", exif=_exif(secret, 1), xmp=_xmp(secret))
    return output.getvalue()


def pixels(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))
