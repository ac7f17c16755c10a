"""The WSGI entry point gunicorn loads."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LOAD = """
import gc, sys
import config.wsgi
print(gc.get_freeze_count(), "tracker.urls" in sys.modules, callable(config.wsgi.application))
"""


def test_loading_the_app_freezes_what_start_up_made_with_the_urls_already_imported(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "wsgi-test-secret-key-" + "q8#Lm2!x" * 5,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    out = subprocess.run(
        [sys.executable, "-c", LOAD], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, urls_loaded, app = int(out[0]), out[1], out[2]
    # Tens of thousands of objects (modules, models, URL patterns) that the collector now skips.
    assert frozen > 10_000
    assert urls_loaded == "True"
    assert app == "True"
