"""Render the site's icon (urgentaction/core/static/ua/icon.svg) to the files browsers and
phones ask for at the site's root: favicon.ico (PNG entries at 16, 32 and 48 px) and a
180 px apple-touch-icon.png. Run from the repository root after changing the SVG:

    .venv/bin/python tools/render_icons.py
"""

import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

ICON = Path("urgentaction/core/static/ua/icon.svg")
ROOT = Path("urgentaction/core/root")
ICO_SIZES = (16, 32, 48)
TOUCH_SIZE = 180
PAGE = "<style>html,body{{margin:0}} svg{{display:block;width:{0}px;height:{0}px}}</style>{1}"


def render(svg: str, sizes: list[int]) -> dict[int, bytes]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        pictures = {}
        for size in sizes:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(PAGE.format(size, svg))
            clip = {"x": 0, "y": 0, "width": size, "height": size}
            pictures[size] = page.screenshot(omit_background=True, clip=clip)
            page.close()
        browser.close()
    return pictures


def ico(pictures: dict[int, bytes]) -> bytes:
    """An .ico file whose images are PNGs, as every current browser reads them."""
    offset = 6 + 16 * len(pictures)
    entries, data = b"", b""
    for size, png in pictures.items():
        entries += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return struct.pack("<HHH", 0, 1, len(pictures)) + entries + data


def main() -> None:
    svg = ICON.read_text()
    (ROOT / "favicon.ico").write_bytes(ico(render(svg, list(ICO_SIZES))))
    # Phones round the corners themselves, and show a transparent corner as black.
    square = svg.replace('rx="12" ', "")
    (ROOT / "apple-touch-icon.png").write_bytes(render(square, [TOUCH_SIZE])[TOUCH_SIZE])


if __name__ == "__main__":
    main()
