"""Every language's catalogue translates every message the code marks, with the same
placeholders: GNU gettext's own tools find the messages (as `make messages` does, in a
copy of the code) and compile the catalogue with its checks."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PACKAGE = Path(settings.BASE_DIR) / "urgentaction"
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# %(name)s and %s as Python formats them, {name} as the letters' placeholders are written.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")


@pytest.fixture(scope="module")
def tools() -> dict[str, str]:
    found = {name: shutil.which(name) for name in ("xgettext", "msgfmt", "msgen")}
    missing = sorted(name for name, path in found.items() if path is None)
    if missing:
        message = f"{', '.join(missing)} not installed (Debian package: gettext)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; it must be under CI.", pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def marked(tools, tmp_path_factory) -> dict:
    """Every message the code marks for translation, as a catalogue whose translation is
    the English itself: gettext keys each by its msgid (and plural form)."""
    root = tmp_path_factory.mktemp("code")
    shutil.copytree(
        PACKAGE,
        root / "urgentaction",
        ignore=shutil.ignore_patterns("tests", "static", "fonts", "__pycache__", "*.mo"),
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "makemessages", "-l", LANGUAGES[0], "--keep-pot"],
        cwd=root,
        env={
            **os.environ,
            "PYTHONPATH": str(root),
            "DJANGO_SETTINGS_MODULE": "urgentaction.testenv",
        },
        check=True,
        capture_output=True,
    )
    pot = root / "urgentaction" / "locale" / "django.pot"
    english = subprocess.run(  # noqa: S603
        [tools["msgen"], str(pot)], check=True, capture_output=True
    ).stdout.replace(b"nplurals=INTEGER; plural=EXPRESSION;", b"nplurals=2; plural=(n != 1);")
    return compiled(tools, english, root / "marked.mo", checks=[])


def compiled(tools: dict[str, str], po: bytes, mo: Path, checks=("--check",)) -> dict:
    """A catalogue compiled as `make translations` does (by default with msgfmt's checks:
    each placeholder of a Python format kept), read as the site reads it; an untranslated
    message is left out of it."""
    subprocess.run(  # noqa: S603
        [tools["msgfmt"], *checks, "-o", str(mo), "-"], input=po, check=True
    )
    with mo.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    catalogue.pop("", None)  # the header
    return catalogue


def by_message(catalogue: dict) -> dict[str, list[str]]:
    """Each message's forms (one, or one per plural form), keyed by its English."""
    forms: dict[str, list[str]] = {}
    for key, text in sorted(catalogue.items(), key=lambda item: str(item[0])):
        forms.setdefault(key if isinstance(key, str) else key[0], []).append(text)
    return forms


def placeholders(texts: list[str]) -> set[str]:
    return {found for text in texts for found in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_marked_message_has_its_translation_with_the_same_placeholders(
    tools, marked, language, tmp_path
):
    po = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    translated = by_message(compiled(tools, po.read_bytes(), tmp_path / "django.mo"))
    english = by_message(marked)

    untranslated = sorted(set(english) - set(translated))
    assert not untranslated, f"translate these in {po} (make messages): {untranslated}"
    # A plural form may leave out what its number already says ("%(target)s" beside
    # "1 recipient"), but may add nothing.
    different = [
        (message, translated[message])
        for message, forms in english.items()
        if not (
            placeholders(translated[message]) <= placeholders(forms)
            if len(forms) > 1
            else sorted(PLACEHOLDER.findall(forms[0]))
            == sorted(PLACEHOLDER.findall(translated[message][0]))
        )
    ]
    assert not different, f"placeholders differ: {different}"
