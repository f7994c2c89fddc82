"""Typesetting with Typst. Kept free of Django so that child processes can import it
cheaply: a large bundle is typeset in chunks, each in a short-lived process, because
Typst's caches grow with every document a process compiles.

Supporter text is passed as JSON in ``sys.inputs``, never pasted into markup, and Typst
may read only the template folder: no letter can inject markup, read a file or reach
the network.
"""

import json
from pathlib import Path

import typst

TYPST_DIR = Path(__file__).resolve().parent / "typst"
FONT_DIR = Path(__file__).resolve().parent / "fonts"


def compile_pdf(template: str, inputs: dict[str, object]) -> bytes:
    """A PDF of ``typst/<template>`` with each input given as JSON."""
    return typst.compile(
        str(TYPST_DIR / template),
        root=str(TYPST_DIR),
        font_paths=[str(FONT_DIR)],
        # Fonts installed on the machine add scripts the bundled ones lack.
        ignore_system_fonts=False,
        sys_inputs={name: json.dumps(value, ensure_ascii=False) for name, value in inputs.items()},
        pdf_tags=False,
    )


def compile_to_file(template: str, inputs: dict[str, object], path: str) -> str:
    Path(path).write_bytes(compile_pdf(template, inputs))
    return path
