"""Small real images for tests."""

import struct
import zlib

from urgentaction.lib.images import PNG_SIGNATURE


def tiny_png(width: int = 1, height: int = 1, *, text: bytes = b"") -> bytes:
    """A valid grey PNG of this size, with a text chunk if ``text``."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"".join(b"\0" + b"\x80" * width for _row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    extra = chunk(b"tEXt", b"Comment\0" + text) if text else b""
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_with_metadata(width: int, height: int, secret: bytes) -> bytes:
    """The segments of a JPEG as a camera writes them, with ``secret`` in its EXIF, XMP and
    comment (the scan data is not a real picture: nothing here decodes it)."""

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    frame = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
        + segment(0xE1, b"Exif\0\0GPS " + secret)
        + segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + secret)
        + segment(0xED, b"Photoshop 3.0\0" + secret)
        + segment(0xFE, secret)
        + segment(0xDB, b"\0" + bytes(64))
        + segment(0xC0, frame)
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x12\x34\xff\x00\x56"
        + b"\xff\xd9"
    )


def webp_with_metadata(width: int, height: int, secret: bytes) -> bytes:
    """An extended WebP with EXIF and XMP chunks holding ``secret`` (its bitstream is a
    stand-in)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return kind + struct.pack("<I", len(body)) + body + b"\0" * (len(body) % 2)

    flags = 0x08 | 0x04
    canvas = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    payload = (
        b"WEBP"
        + chunk(b"VP8X", bytes([flags, 0, 0, 0]) + canvas)
        + chunk(b"VP8L", b"\x2f" + bytes(9))
        + chunk(b"EXIF", b"GPS " + secret)
        + chunk(b"XMP ", secret)
    )
    return b"RIFF" + struct.pack("<I", len(payload)) + payload
