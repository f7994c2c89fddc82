"""The web processes' application (urgentaction/wsgi.py), as gunicorn loads it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_what_it_loads_is_kept_out_of_the_collectors_full_passes(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urgentaction.settings",
        "DATA_DIR": str(tmp_path),
        "DEBUG": "1",
    }
    env.pop("DATABASE_URL", None)
    loaded = subprocess.run(
        [sys.executable, "-c", "import gc, urgentaction.wsgi; print(gc.get_freeze_count())"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # Django, the apps and their models: tens of thousands of objects.
    assert int(loaded.stdout) > 50_000
