"""The project's `.env` file (copied from `.env.example`), read into the environment.

django-environ parses it; a variable already set in the real environment wins over the file.
`ENV_FILE` names another file. manage.py, wsgi.py and the settings call this before reading
any variable, so DJANGO_SETTINGS_MODULE may come from the file too.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ

DEFAULT_ENV_FILE = Path(__file__).resolve().parent.parent / ".env"


def read_env_file() -> Path | None:
    """Load the file if it exists; return its path (None when there is none)."""
    path = Path(os.environ.get("ENV_FILE") or DEFAULT_ENV_FILE)
    if not path.is_file():
        return None
    environ.Env.read_env(path, overwrite=False)
    return path
