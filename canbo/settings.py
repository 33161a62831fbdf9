"""Settings for canbo, read from the environment.

DATABASE_URL   sqlite:///path or postgres://user@host:port/db (default: SQLite in var/)
SECRET_KEY     required unless DEBUG is on
DEBUG          "1"/"true" to enable
ALLOWED_HOSTS  comma-separated
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CANBO_VAR_DIR", BASE_DIR.parent / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # Tests, debug runs and administrative commands that serve no request
    # (migrate, makemigrations, load-areas…) sign nothing, so they need no key.
    if (
        DEBUG
        or _env_bool("CANBO_TESTING")
        or _env_bool("CANBO_OFFLINE_COMMAND")
        or "pytest" in sys.modules
    ):
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "treebeard",
    "canbo.core",
    "canbo.accounts",
    "canbo.organizations",
    "canbo.people",
    "canbo.rules",
    "canbo.planning",
    "canbo.exchange",
    "canbo.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "canbo.core.middleware.CleanInputMiddleware",
    "canbo.core.middleware.AuditSourceMiddleware",
]

ROOT_URLCONF = "canbo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "canbo.wsgi.application"

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'canbo.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    # JIT compilation adds 70–90 ms to each search count at national scale and
    # never pays off for the short queries of this application. Random page
    # reads cost about what sequential ones do on SSDs and from the cache; with
    # the default 4 the planner scanned the trigram index of the whole country
    # (50 ms) to spare 300 reads of one commune's rows (ADR 0008).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c random_page_cost=1.1"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["canbo.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: unauthenticated requests then get 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "canbo.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "canbo.api.exceptions.exception_handler",
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "canbo API",
    "DESCRIPTION": "Hệ thống quản lý công tác cán bộ",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Data package import (canbo.exchange): files are refused before parsing beyond these sizes.
CANBO_IMPORT_MAX_BYTES = int(os.environ.get("CANBO_IMPORT_MAX_BYTES", 100 * 1024 * 1024))
CANBO_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("CANBO_IMPORT_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)
)
# Uploaded packages wait here between their dry run and the confirmation.
CANBO_IMPORT_DIR = Path(os.environ.get("CANBO_IMPORT_DIR", VAR_DIR / "imports"))
# The first handler stops receiving an upload to /exchange/ once it passes the limit.
FILE_UPLOAD_HANDLERS = [
    "canbo.exchange.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Access log (who read which personal data): `canbo purge-access-log` removes entries
# older than this many days. Lookups of people outside the user's scope by ID number
# (planning "from elsewhere") are limited per user to this rate (n/second|minute|hour|day).
CANBO_ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("CANBO_ACCESS_LOG_RETENTION_DAYS", 5 * 365))
CANBO_PERSON_LOOKUP_RATE = os.environ.get("CANBO_PERSON_LOOKUP_RATE", "30/hour")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
