"""Photos staff upload, made safe to publish without an image library: the kind is read
from the bytes (JPEG, PNG or WebP, never the name), the size from the header, and the
metadata cameras and phones write (EXIF with GPS position, XMP, IPTC, comments, text
chunks) is cut out, so that a photo never tells where or when it was taken, or by
whom. Pixels are left as they are."""

import struct
from dataclasses import dataclass

# JPEG segments kept: the JFIF header, the colour profile and Adobe's colour transform;
# the other application segments (EXIF, XMP, IPTC, maker notes) and comments go.
JPEG_KEPT_APP = {0xE0, 0xE2, 0xEE}
JPEG_COMMENT = 0xFE
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG chunks that hold words or times rather than pixels.
PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
WEBP_DROPPED = {b"EXIF", b"XMP "}
WEBP_EXIF_FLAG, WEBP_XMP_FLAG = 0x08, 0x04


@dataclass(frozen=True)
class Photo:
    kind: str  # "jpeg", "png" or "webp"
    width: int
    height: int
    data: bytes

    @property
    def extension(self) -> str:
        return {"jpeg": ".jpg", "png": ".png", "webp": ".webp"}[self.kind]

    @property
    def content_type(self) -> str:
        return f"image/{self.kind}"


def clean_photo(data: bytes) -> Photo:
    """The photo in ``data`` without its metadata; ValueError if it is not a JPEG, PNG or
    WebP image this module can read."""
    try:
        if data.startswith(b"\xff\xd8"):
            return _jpeg(data)
        if data.startswith(PNG_SIGNATURE):
            return _png(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except (IndexError, struct.error) as error:
        raise ValueError("the image is cut short or malformed") from error
    raise ValueError("not a JPEG, PNG or WebP image")


def _jpeg(data: bytes) -> Photo:
    kept, size, at = [data[:2]], None, 2
    while at < len(data):
        if data[at] != 0xFF:
            raise ValueError("a JPEG segment does not start with a marker")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the pixels follow, to the end
            kept.append(data[at:])
            break
        if marker in JPEG_STANDALONE:
            kept.append(data[at : at + 2])
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2 or at + 2 + length > len(data):
            raise ValueError("a JPEG segment runs past the end")
        segment = data[at : at + 2 + length]
        if marker in JPEG_FRAMES:
            height, width = struct.unpack(">HH", segment[5:9])
            size = (width, height)
        dropped = (0xE0 <= marker <= 0xEF and marker not in JPEG_KEPT_APP) or (
            marker == JPEG_COMMENT
        )
        if not dropped:
            kept.append(segment)
        at += 2 + length
    else:
        raise ValueError("a JPEG without pixels")
    if size is None:
        raise ValueError("a JPEG without a frame header")
    return Photo("jpeg", *size, b"".join(kept))


def _png(data: bytes) -> Photo:
    kept, size, at = [PNG_SIGNATURE], None, len(PNG_SIGNATURE)
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        end = at + 12 + length
        if end > len(data):
            raise ValueError("a PNG chunk runs past the end")
        chunk = data[at:end]
        if kind == b"IHDR":
            size = struct.unpack(">II", chunk[8:16])
        if kind not in PNG_DROPPED:
            kept.append(chunk)
        at = end
        if kind == b"IEND":
            break
    if size is None or kept[-1][4:8] != b"IEND":
        raise ValueError("a PNG without its header or its end")
    return Photo("png", *size, b"".join(kept))


def _webp(data: bytes) -> Photo:
    chunks, size, at = [], None, 12
    while at + 8 <= len(data):
        kind, length = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        end = at + 8 + length + (length % 2)
        if at + 8 + length > len(data):
            raise ValueError("a WebP chunk runs past the end")
        body = data[at + 8 : at + 8 + length]
        if kind == b"VP8X":
            flags = body[0] & ~(WEBP_EXIF_FLAG | WEBP_XMP_FLAG)
            body = bytes([flags]) + body[1:]
            size = (
                int.from_bytes(body[4:7], "little") + 1,
                int.from_bytes(body[7:10], "little") + 1,
            )
        elif kind == b"VP8 " and size is None:
            width, height = struct.unpack("<HH", body[6:10])
            size = (width & 0x3FFF, height & 0x3FFF)
        elif kind == b"VP8L" and size is None:
            bits = int.from_bytes(body[1:5], "little")
            size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        if kind not in WEBP_DROPPED:
            chunks.append(kind + struct.pack("<I", len(body)) + body + b"\0" * (len(body) % 2))
        at = end
    if size is None:
        raise ValueError("a WebP without an image")
    payload = b"WEBP" + b"".join(chunks)
    return Photo("webp", *size, b"RIFF" + struct.pack("<I", len(payload)) + payload)
