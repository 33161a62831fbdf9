"""Settings for canbo, read from the environment.

DATABASE_URL   sqlite:///path or postgres://user@host:port/db (default: SQLite in var/)
DATABASE_REPLICA_URL  a streaming replica of DATABASE_URL for lists, reports and exports
SECRET_KEY     required unless DEBUG is on
DEBUG          "1"/"true" to enable
ALLOWED_HOSTS  comma-separated
CANBO_PRODUCTION  "1" turns on every HTTPS and cookie protection below (docs/operator.md)
"""

import datetime as dt
import os
import re
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CANBO_VAR_DIR", BASE_DIR.parent / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


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

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    # The admin site asks for the second factor and signs in through accounts:login.
    "canbo.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_filters",
    "drf_spectacular",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "canbo.core",
    "canbo.accounts",
    "canbo.organizations",
    "canbo.people",
    "canbo.rules",
    "canbo.planning",
    "canbo.reviews",
    "canbo.appointments",
    "canbo.rotation",
    "canbo.directives",
    "canbo.reports",
    "canbo.jobs",
    "canbo.demo",
    "canbo.exchange",
    "canbo.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "canbo.core.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "canbo.accounts.middleware.TwoFactorMiddleware",
    "canbo.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "canbo.core.middleware.CleanInputMiddleware",
    "canbo.core.middleware.AuditSourceMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "canbo.directives.context.todo_count",
            ],
        },
    },
]
# Django's templates for every widget but plain select boxes, written in Python with the
# same markup (canbo/core/renderers.py).
FORM_RENDERER = "canbo.core.renderers.QuickRenderer"

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

# Work memory per hash or sort for the statements that aggregate large tables (the
# summary reports; core.db.planned_for_scans, ADR 0033): PostgreSQL's 4 MB default
# sends a national report's hashes to disk. A size as PostgreSQL writes it.
CANBO_SCAN_WORK_MEM = os.environ.get("CANBO_SCAN_WORK_MEM", "").strip() or "64MB"
if not re.fullmatch(r"[1-9][0-9]{0,6}(kB|MB|GB)", CANBO_SCAN_WORK_MEM):
    raise ImproperlyConfigured(
        f"CANBO_SCAN_WORK_MEM={CANBO_SCAN_WORK_MEM!r}: a size such as 64MB (kB, MB or GB)"
    )

# A read replica (docs/adr/0021-read-replica.md, docs/operator.md "Read replica"): the GET
# requests of lists, searches, reports and exports, and background exports, read from it;
# everything else, and whoever wrote in the last CANBO_REPLICA_STICKY_SECONDS, from the
# primary. Without DATABASE_REPLICA_URL nothing here applies.
CANBO_REPLICA_STICKY_SECONDS = _env_int("CANBO_REPLICA_STICKY_SECONDS", 10)
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"].strip(), conn_max_age=60, conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:
        # The same planner settings as the primary's (above).
        DATABASES["replica"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            **DATABASES["replica"].get("OPTIONS", {}),
        }
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.sqlite3":
        # An unreachable replica costs each new connection this long before the primary
        # answers instead (canbo.core.replica).
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Tests make no database on the (read-only) replica; tests/conftest.py has them read
    # everything from the primary's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["canbo.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
                      "canbo.core.replica.ReplicaMiddleware")  # fmt: skip

# API throttling counts requests in the cache: in memory by default, which is per process;
# CANBO_CACHE_DIR gives the server's worker processes one shared count (a directory).
if os.environ.get("CANBO_CACHE_DIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["CANBO_CACHE_DIR"],
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

_VALIDATION = "django.contrib.auth.password_validation"
CANBO_PASSWORD_MIN_LENGTH = _env_int("CANBO_PASSWORD_MIN_LENGTH", 12)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_VALIDATION}.MinimumLengthValidator",
        "OPTIONS": {"min_length": CANBO_PASSWORD_MIN_LENGTH},
    },
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]

# --- Sign-in protection (docs/operator.md, "Production") -----------------------------
# django-axes: this many failed sign-ins in a row from one address for one username lock
# that pair out for the cool-off time (a success resets the count).
AXES_FAILURE_LIMIT = _env_int("CANBO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=_env_int("CANBO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "canbo.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "canbo.accounts.security.client_ip"
AXES_VERBOSE = False
# Two-factor authentication (django-otp, TOTP): administrators must use it unless this is
# off; everyone may turn it on from their account page.
CANBO_ADMIN_2FA = _env_bool("CANBO_ADMIN_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("CANBO_OTP_ISSUER", "canbo")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sessions end after this many seconds without a request, and this long after sign-in.
CANBO_SESSION_IDLE_SECONDS = _env_int("CANBO_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = _env_int("CANBO_SESSION_MAX_HOURS", 10) * 3600

# --- HTTPS, cookies and headers --------------------------------------------------------
# CANBO_PRODUCTION=1 turns every protection on; each variable below can still override it.
PRODUCTION = _env_bool("CANBO_PRODUCTION")
# Behind a reverse proxy (nginx) that terminates TLS: trust its X-Forwarded-Proto header
# and take the client address from its X-Real-IP (only safe when the application server
# listens on 127.0.0.1 or a socket, so that every request comes through the proxy).
CANBO_BEHIND_PROXY = _env_bool("CANBO_BEHIND_PROXY", PRODUCTION)
if CANBO_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env_bool("CANBO_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = _env_bool("CANBO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = _env_int("CANBO_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("CANBO_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
# "preload" only asks browsers' built-in list to include the host, which takes a manual
# submission of a public domain: harmless on an intranet, and `check --deploy` wants it.
SECURE_HSTS_PRELOAD = _env_bool("CANBO_HSTS_PRELOAD", PRODUCTION)
# Origins (scheme://host[:port]) from which forms may be posted besides the site itself.
CSRF_TRUSTED_ORIGINS = _env_list("CANBO_CSRF_TRUSTED_ORIGINS")
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every script and style comes from the site's own
# static files; no inline script, style attribute or outside source is allowed.
# Bootstrap's CSS draws its icons (select arrows, close buttons) as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

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
        "knox.auth.TokenAuthentication",
        "canbo.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "canbo.api.throttling.AnonRateThrottle",
        "canbo.api.throttling.UserRateThrottle",
    ],
    # Behind the reverse proxy, the client is the last address of X-Forwarded-For.
    "NUM_PROXIES": 1 if CANBO_BEHIND_PROXY else None,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("CANBO_API_RATE_ANON", "60/minute"),
        "user": os.environ.get("CANBO_API_RATE_USER", "1200/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "canbo.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["canbo.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "canbo.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "canbo.api.exceptions.exception_handler",
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
}
# API tokens (django-rest-knox): only their hash is stored; each expires after this many
# days (`canbo create-api-token --days` chooses another lifetime for one token).
KNOX_TOKEN_MODEL = "accounts.ApiToken"
CANBO_API_TOKEN_DAYS = _env_int("CANBO_API_TOKEN_DAYS", 90)
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=CANBO_API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
}
# knox's own AuthToken is replaced by accounts.ApiToken; its migrations would only create
# an unused table.
MIGRATION_MODULES = {"knox": None}
SPECTACULAR_SETTINGS = {
    "TITLE": "canbo API",
    "DESCRIPTION": "Hệ thống quản lý công tác cán bộ",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documented request bodies are JSON; form data is for the browsable API's forms.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Two choice sets on fields named "status" (a plan's, a background job's): without names
    # of their own the plans' was renamed with a hash (Status207Enum) and a warning printed
    # on every schema load. The plans' keeps the name it had; the job's gets its own.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "canbo.planning.choices.PlanStatus",
        "JobStatusEnum": "canbo.jobs.models.JobStatus",
        "CaseKindEnum": "canbo.appointments.choices.CaseKind",
        "RotationKindEnum": "canbo.rotation.choices.RotationKind",
        "RotationOutcomeEnum": "canbo.rotation.choices.RotationOutcome",
        # Two choice sets on fields named "outcome" (cases, rotations): each named.
        "CaseOutcomeEnum": "canbo.appointments.choices.CaseOutcome",
    },
}

# Data package import (canbo.exchange): files are refused before parsing beyond these sizes.
CANBO_IMPORT_MAX_BYTES = int(os.environ.get("CANBO_IMPORT_MAX_BYTES", 100 * 1024 * 1024))
CANBO_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("CANBO_IMPORT_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)
)
# Checked while streaming the workbook, before any reader loads it: rows of one sheet,
# cells one sheet spans (highest row × highest column) and characters of one cell.
CANBO_IMPORT_MAX_ROWS = int(os.environ.get("CANBO_IMPORT_MAX_ROWS", 1_048_576))
CANBO_IMPORT_MAX_CELLS = int(os.environ.get("CANBO_IMPORT_MAX_CELLS", 10_000_000))
CANBO_IMPORT_MAX_CELL_CHARS = int(os.environ.get("CANBO_IMPORT_MAX_CELL_CHARS", 32_767))
# A web import whose apply has held its claim this long without finishing is stale.
CANBO_IMPORT_CLAIM_TIMEOUT = int(os.environ.get("CANBO_IMPORT_CLAIM_TIMEOUT", 2 * 60 * 60))
# Uploaded packages wait here between their dry run and the confirmation.
CANBO_IMPORT_DIR = Path(os.environ.get("CANBO_IMPORT_DIR", VAR_DIR / "imports"))
# Files attached to directive progress notes (out of the web root; scoped download).
CANBO_ATTACHMENT_DIR = Path(os.environ.get("CANBO_ATTACHMENT_DIR", VAR_DIR / "attachments"))
CANBO_ATTACHMENT_MAX_BYTES = int(os.environ.get("CANBO_ATTACHMENT_MAX_BYTES", 20 * 2**20))
# Seconds LibreOffice may take to turn one document into PDF (the 2C record).
CANBO_SOFFICE_TIMEOUT = _env_int("CANBO_SOFFICE_TIMEOUT", 60)
# The most 2C records one ZIP of a list may hold (made in the background, one per person).
CANBO_2C_BATCH_MAX = _env_int("CANBO_2C_BATCH_MAX", 2000)
# A data package export (job or `canbo export`) on PostgreSQL shares its sheets with a helper
# process when its tables hold at least this many rows (exchange.helper, ADR 0022).
CANBO_EXPORT_HELPER_MIN_ROWS = _env_int("CANBO_EXPORT_HELPER_MIN_ROWS", 1_000_000)
# Background work (canbo.jobs, ADR 0018): Django's tasks framework, its database backend (no
# broker). `canbo db_worker` runs the tasks (`./run demo` starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Files made by background work wait here for their owner (out of the web root; scoped
# download), and are deleted with their job this many hours after it finished.
CANBO_JOB_DIR = Path(os.environ.get("CANBO_JOB_DIR", VAR_DIR / "jobs"))
CANBO_JOB_KEEP_HOURS = _env_int("CANBO_JOB_KEEP_HOURS", 48)
# A list to Excel of up to this many rows is answered at once; a longer one runs in the
# background with a progress bar.
CANBO_LIST_INLINE_ROWS = _env_int("CANBO_LIST_INLINE_ROWS", 2000)
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

# One handler, the root's: Django's own default configuration (applied first) gives the
# "django" logger a console handler of its own in DEBUG, and its records also reach the
# root's, so every line ("Not Found: …", warnings) was printed twice. Configuring "django"
# here removes that handler; its records are printed once, by the root's handler.
# ("django.server", runserver's request lines, keeps its own handler and does not propagate.)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "INFO" if DEBUG else "WARNING", "propagate": True},
    },
}
