import json
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


# --- production settings from the environment (docs/operator.md, "Production") ----------------

# The variables docs/operator.md tells an operator to set, nothing else.
PRODUCTION_ENV = {
    "SECRET_KEY": "k2Jx9-vQ7rT4wL1zN8bF3hY6cP0sD5gA2mE7uR9iO4tW1yX6qZ3nV8jB5kH0lS7f",
    "ALLOWED_HOSTS": "canbo.tinhuy.local",
    "CANBO_PRODUCTION": "1",
}


def _settings_in(env: dict, names: list[str]) -> dict:
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'canbo.settings'; "
        "from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


SECURITY = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
            "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS", "DEBUG"]  # fmt: skip


def test_production_turns_every_protection_on(tmp_path):
    values = _settings_in(_env(CANBO_VAR_DIR=str(tmp_path), **PRODUCTION_ENV), SECURITY)
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": [],
        "DEBUG": False,
    }


def test_without_production_they_stay_off(tmp_path):
    values = _settings_in(_env(CANBO_VAR_DIR=str(tmp_path), CANBO_TESTING="1"), SECURITY)
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "CSRF_TRUSTED_ORIGINS": [],
        "DEBUG": False,
    }


def test_each_protection_has_its_own_variable(tmp_path):
    env = _env(
        CANBO_VAR_DIR=str(tmp_path),
        CANBO_HSTS_SECONDS="3600",
        CANBO_HSTS_INCLUDE_SUBDOMAINS="0",
        CANBO_HSTS_PRELOAD="0",
        CANBO_SSL_REDIRECT="0",
        CANBO_BEHIND_PROXY="0",
        CANBO_CSRF_TRUSTED_ORIGINS="https://canbo.tinhuy.local, https://canbo2.tinhuy.local",
        **PRODUCTION_ENV,
    )
    values = _settings_in(env, SECURITY)
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://canbo.tinhuy.local",
        "https://canbo2.tinhuy.local",
    ]


def test_sign_in_session_and_api_settings_from_the_environment(tmp_path):
    env = _env(
        CANBO_VAR_DIR=str(tmp_path),
        CANBO_TESTING="1",
        CANBO_ADMIN_2FA="0",
        CANBO_SESSION_IDLE_MINUTES="15",
        CANBO_SESSION_MAX_HOURS="8",
        CANBO_API_TOKEN_DAYS="30",
        CANBO_API_RATE_ANON="10/minute",
        CANBO_API_RATE_USER="100/minute",
        CANBO_PASSWORD_MIN_LENGTH="14",
    )
    values = _settings_in(
        env,
        ["CANBO_ADMIN_2FA", "CANBO_SESSION_IDLE_SECONDS", "SESSION_COOKIE_AGE",
         "CANBO_API_TOKEN_DAYS", "REST_FRAMEWORK", "CANBO_PASSWORD_MIN_LENGTH"],
    )  # fmt: skip
    assert values["CANBO_ADMIN_2FA"] is False
    assert values["CANBO_SESSION_IDLE_SECONDS"] == 900
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600
    assert values["CANBO_API_TOKEN_DAYS"] == 30
    assert values["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"] == {
        "anon": "10/minute",
        "user": "100/minute",
    }
    assert values["CANBO_PASSWORD_MIN_LENGTH"] == 14


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    # Only the documented variables (and a place for the SQLite file): nothing of the test
    # run's own environment (CANBO_TESTING, the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE…).
    env = {"PATH": os.environ["PATH"], "CANBO_VAR_DIR": str(tmp_path), **PRODUCTION_ENV}
    result = subprocess.run(
        [CANBO, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_warns_without_them(tmp_path):
    env = _env(CANBO_VAR_DIR=str(tmp_path), SECRET_KEY=PRODUCTION_ENV["SECRET_KEY"])
    result = subprocess.run(
        [CANBO, "check", "--deploy", "--tag", "security"], env=env, capture_output=True, text=True
    )
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in result.stderr + result.stdout


def test_scan_work_mem_takes_a_postgresql_size_and_refuses_anything_else():
    def work_mem(value):
        code = "import canbo.settings as s; print(s.CANBO_SCAN_WORK_MEM)"
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={**os.environ, "CANBO_SCAN_WORK_MEM": value})  # fmt: skip

    assert work_mem("").stdout.strip() == "64MB"
    assert work_mem("256MB").stdout.strip() == "256MB"
    for bad in ("64", "64 MB", "0MB", "64MB'; DROP TABLE x; --", "1TB"):
        result = work_mem(bad)
        assert result.returncode != 0, bad
        assert "CANBO_SCAN_WORK_MEM" in result.stderr
