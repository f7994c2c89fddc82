"""Pictures of a printed letter and a bundle page, for a person to look at
(test-artifacts/), made with poppler's pdftoppm as the pages would print."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from urgentaction.actions.tests.factories import ActionFactory
from urgentaction.campaigns.models import Channel
from urgentaction.letters.documents import letter_pdf
from urgentaction.letters.models import HandInBundle
from urgentaction.letters.tasks import make_bundle_job

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        message = "pdftoppm is not installed (Debian package: poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; it must be under CI.", pytrace=False)
        pytest.skip(message)
    return found


def picture(pdftoppm: str, pdf: Path, name: str, page: int = 1) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    subprocess.run(  # noqa: S603
        [
            pdftoppm,
            "-png",
            "-r",
            "60",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    return stem.with_suffix(".png")


def test_a_letter_and_a_bundle_page_render_to_pictures(pdftoppm, tmp_path):
    action = ActionFactory(
        channel=Channel.POST,
        first_name="김",
        last_name="민준",
        body="Dear Foreign Secretary\n\n한국어 문장입니다. Please act now.\n\nYours sincerely",
    )
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(letter_pdf(action))
    bundle = HandInBundle.objects.create(campaign=action.campaign)
    make_bundle_job.call(bundle.pk)
    bundle.refresh_from_db()

    scripts = tmp_path / "scripts.pdf"
    scripts.write_bytes(
        letter_pdf(
            ActionFactory(
                body="العربية: أرجو أن تساعدوهم. עברית: שלום. ไทย: ขอบคุณครับ. "
                "हिन्दी: कृपया मदद करें। 中文: 请帮助他们。 日本語: ありがとう。 한국어 ✊🙏"
            )
        )
    )

    pictures = [
        picture(pdftoppm, letter, "letter"),
        picture(pdftoppm, scripts, "letter-scripts"),
        picture(pdftoppm, bundle.path, "bundle-cover"),
        picture(pdftoppm, bundle.path, "bundle-letter", page=2),
    ]

    for png in pictures:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 5_000  # a page with text on it, not a blank one
