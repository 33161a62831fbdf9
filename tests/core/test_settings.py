import os
import subprocess
import sys
from pathlib import Path

CANBO = str(Path(sys.executable).with_name("canbo"))


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"CANBO_TESTING", "DEBUG", "SECRET_KEY"}}
    env.update(extra)
    return env


def test_serving_without_secret_key_is_refused():
    result = subprocess.run(
        [sys.executable, "-c", "import canbo.wsgi"], env=_env(), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_offline_commands_need_no_secret_key():
    result = subprocess.run(
        [CANBO, "makemigrations", "--check", "--dry-run"],
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_dates_are_read_day_first():
    from django.conf import settings

    assert settings.DATE_INPUT_FORMATS[0] == "%d/%m/%Y"
    assert settings.LANGUAGE_CODE == "vi" and settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
