import struct

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_serves_a_favicon_at_the_root():
    response = Client().get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    icon = b"".join(response.streaming_content)
    reserved, kind, count = struct.unpack("<HHH", icon[:6])
    assert (reserved, kind) == (0, 1)
    sizes = [icon[6 + 16 * n] for n in range(count)]
    assert sizes == [16, 32, 48]


def test_it_serves_an_icon_for_phones_home_screens():
    response = Client().get("/apple-touch-icon.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = b"".join(response.streaming_content)
    assert picture.startswith(b"\x89PNG")
    assert struct.unpack(">II", picture[16:24]) == (180, 180)


def test_every_page_names_its_icons(client):
    html = client.get("/").content.decode()

    assert '<link rel="icon" href="/favicon.ico"' in html
    assert '<link rel="icon" href="/static/ua/icon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in html
    assert Client().get("/static/ua/icon.svg").status_code == 200
