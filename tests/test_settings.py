"""Settings read a `.env` file; the real environment wins; production still refuses to start
without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRINT = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.SETTINGS_MODULE, settings.SITE_URL, settings.DATABASES['default']['NAME'])"
)
VARIABLES = {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL", "DEBUG", "ENV_FILE"}


def run(tmp_path, lines: list[str], settings: str | None, command=None, **environment):
    env_file = tmp_path / "test.env"
    env_file.write_text("\n".join(lines) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES | {"DJANGO_SETTINGS_MODULE"}}
    env.update(ENV_FILE=str(env_file), **environment)
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = settings
    return subprocess.run(
        command or [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_dev_settings_read_the_env_file(tmp_path):
    result = run(
        tmp_path,
        ["SITE_URL=http://192.0.2.7:8123/", "DATABASE_URL=sqlite:////tmp/from-dotenv.sqlite3"],
        "config.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "config.settings.dev",
        "http://192.0.2.7:8123",
        "/tmp/from-dotenv.sqlite3",
    ]


def test_the_real_environment_wins_over_the_file(tmp_path):
    result = run(
        tmp_path,
        ["SITE_URL=http://from-file.example"],
        "config.settings.dev",
        SITE_URL="http://from-environment.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "http://from-environment.example"


def test_manage_py_takes_the_settings_module_from_the_file(tmp_path):
    secret = "k" * 60
    result = run(
        tmp_path,
        [
            "DJANGO_SETTINGS_MODULE=config.settings.production",
            f"SECRET_KEY={secret}",
            "DATABASE_URL=sqlite:////tmp/ocop-dotenv-check.sqlite3",
            "ALLOWED_HOSTS=ocop.example.vn",
        ],
        None,
        command=[
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.SETTINGS_MODULE)",
        ],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "config.settings.production"


def test_production_refuses_an_env_file_without_a_secret_key(tmp_path):
    result = run(
        tmp_path,
        ["SECRET_KEY=", "DATABASE_URL=sqlite:////tmp/x.sqlite3", "ALLOWED_HOSTS=ocop.example.vn"],
        "config.settings.production",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_production_refuses_an_env_file_without_a_database_url(tmp_path):
    result = run(
        tmp_path,
        [f"SECRET_KEY={'s' * 60}", "ALLOWED_HOSTS=ocop.example.vn"],
        "config.settings.production",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL must be set" in result.stderr
