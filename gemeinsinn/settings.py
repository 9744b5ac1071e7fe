"""The one settings module of gemeinsinn, driven by environment variables (see .env.example).

Every value that can be wrong stops start-up with a message naming the variable.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
import xstatic.pkg.leaflet as xstatic_leaflet
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from gemeinsinn.env import SettingError, env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("GEMEINSINN_DATA_DIR", str(PROJECT_DIR / "var")))

# Development mode: generated secret key, plain-HTTP cookies, localhost hosts, console mail.
# `make` marks a developer checkout with the file .gemeinsinn-dev (git-ignored), so local
# commands work without exporting anything; GEMEINSINN_DEV=0 or 1 always wins. Production
# installs never run make, so they never have the marker.
DEV = env_bool("GEMEINSINN_DEV", (PROJECT_DIR / ".gemeinsinn-dev").exists())
DEBUG = env_bool("GEMEINSINN_DEBUG", False)

if DEV or DEBUG:
    SECRET_KEY = env_str("GEMEINSINN_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = env_str("GEMEINSINN_SECRET_KEY")
    if len(SECRET_KEY) < 32:
        raise SettingError("GEMEINSINN_SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env_list(
    "GEMEINSINN_ALLOWED_HOSTS",
    ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEV or DEBUG else [],
)
if not ALLOWED_HOSTS:
    raise SettingError(
        "GEMEINSINN_ALLOWED_HOSTS is required outside development, e.g. engagement.example.de."
    )
CSRF_TRUSTED_ORIGINS = env_list("GEMEINSINN_CSRF_TRUSTED_ORIGINS", [])

# Public base URL, used in e-mails and feeds that leave the request context.
BASE_URL = env_url("GEMEINSINN_BASE_URL", "http://127.0.0.1:8000", schemes=("http", "https"))

INSTALLED_APPS = [
    "gemeinsinn.core",
    "gemeinsinn.accounts",
    "gemeinsinn.actors",
    "gemeinsinn.opportunities",
    "gemeinsinn.shifts",
    "gemeinsinn.api",
    "gemeinsinn.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gemeinsinn.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gemeinsinn.core.middleware.MunicipalityMiddleware",
    "gemeinsinn.accounts.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "gemeinsinn.urls"
WSGI_APPLICATION = "gemeinsinn.wsgi.application"
ASGI_APPLICATION = "gemeinsinn.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gemeinsinn.core.context_processors.platform",
            ],
            "builtins": ["gemeinsinn.core.templatetags.gemeinsinn"],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'gemeinsinn.sqlite3'}"
_database_url = env_url(
    "DATABASE_URL", _default_db, schemes=("sqlite", "postgres", "postgresql", "pgsql")
)
assert _database_url is not None
try:
    _db = dj_database_url.parse(_database_url)
except ValueError as exc:  # pragma: no cover - dj_database_url reports the problem
    raise SettingError(f"DATABASE_URL cannot be read: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db["NAME"] and _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and an immediate write lock let the web server and the task worker share the file.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    if env_bool("GEMEINSINN_DB_POOL", False):
        # Django's psycopg connection pool; CONN_MAX_AGE must stay 0 with a pool.
        _db["OPTIONS"] = {
            "pool": {"min_size": 2, "max_size": env_int("GEMEINSINN_DB_POOL_SIZE", 10, minimum=2)}
        }
        _db["CONN_MAX_AGE"] = 0
    else:
        _db["CONN_MAX_AGE"] = env_int("GEMEINSINN_DB_CONN_MAX_AGE", 60, minimum=0)
        _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (login rate limits live here; share it between web workers in production) ---------
_cache_url = env_url("GEMEINSINN_CACHE_URL", "locmem://", schemes=("locmem", "redis", "db"))
assert _cache_url is not None
if _cache_url.startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url.startswith("db"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gemeinsinn_cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Tasks --------------------------------------------------------------------------------------
_tasks_backend = env_str("GEMEINSINN_TASKS_BACKEND", "database")
_task_backends = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if _tasks_backend not in _task_backends:
    raise SettingError("GEMEINSINN_TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {"default": {"BACKEND": _task_backends[_tasks_backend], "QUEUES": ["default"]}}

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "gemeinsinn.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "gemeinsinn.accounts.forms.SignupExtraForm"
# Lockout: after 5 failed attempts for one e-mail address, login is refused for 15 minutes.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("GEMEINSINN_LOGIN_FAILED_LIMIT", "20/15m/ip,5/15m/key"),
    "login": "60/m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "confirm_email": "3/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("GEMEINSINN_MFA_ISSUER", "gemeinsinn")
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
# The first path is ours (makemessages writes there); the second holds formal-German ("Sie")
# overrides of allauth's informal German, maintained by hand.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("GEMEINSINN_STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
# Leaflet (the maps) comes from its XStatic package, served like every other static file.
STATICFILES_DIRS = [("leaflet", xstatic_leaflet.BASE_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("GEMEINSINN_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEV or DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEV or DEBUG
if DEV or DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- E-mail (always through the outbox, see gemeinsinn.core.outbox) ------------------------------
_email_backend = env_str("GEMEINSINN_EMAIL_BACKEND", "console" if DEV or DEBUG else "smtp")
_email_backends = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
if _email_backend not in _email_backends:
    raise SettingError("GEMEINSINN_EMAIL_BACKEND must be one of smtp, console, file, locmem.")
EMAIL_BACKEND = _email_backends[_email_backend]
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = env_str("GEMEINSINN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("GEMEINSINN_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("GEMEINSINN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("GEMEINSINN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GEMEINSINN_EMAIL_STARTTLS", False)
EMAIL_USE_SSL = env_bool("GEMEINSINN_EMAIL_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise SettingError("GEMEINSINN_EMAIL_STARTTLS and GEMEINSINN_EMAIL_SSL cannot both be on.")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("GEMEINSINN_FROM_EMAIL", "gemeinsinn <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = env_int("GEMEINSINN_OUTBOX_MAX_ATTEMPTS", 5, minimum=1, maximum=50)

# --- Security ------------------------------------------------------------------------------------
HTTPS = env_bool("GEMEINSINN_HTTPS", not (DEV or DEBUG))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
BEHIND_PROXY = env_bool("GEMEINSINN_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies append to X-Forwarded-For; the login rate limits count per client
# address, which without this would be the proxy's address for everybody.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int(
    "GEMEINSINN_TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0, maximum=5
)
SECURE_SSL_REDIRECT = HTTPS and env_bool("GEMEINSINN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("GEMEINSINN_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
# Only switch these on when every subdomain of the host is served over HTTPS too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GEMEINSINN_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("GEMEINSINN_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy: nothing from any other host. A municipality that configures a tile
# server adds exactly that host through GEMEINSINN_CSP_EXTRA_IMG_HOSTS.
_extra_img = env_list("GEMEINSINN_CSP_EXTRA_IMG_HOSTS", [])
for host in _extra_img:
    if not host.startswith("https://"):
        raise SettingError(
            f"GEMEINSINN_CSP_EXTRA_IMG_HOSTS entries must start with https://; got {host!r}."
        )

# --- Maps ------------------------------------------------------------------------------------------
# A tile server for the maps, as a Leaflet URL template such as
# https://tiles.example.org/{z}/{x}/{y}.png ({s} for subdomains). Empty, the default: the maps
# show their points over a neutral background and request nothing from any other host. A tile
# server learns which part of town a visitor looks at, so the municipality chooses it.
MAP_TILE_URL = env_url("GEMEINSINN_MAP_TILE_URL", "", schemes=("https",)) or ""
if MAP_TILE_URL and not all(part in MAP_TILE_URL for part in ("{z}", "{x}", "{y}")):
    raise SettingError("GEMEINSINN_MAP_TILE_URL must contain {z}, {x} and {y}.")
# The credit the tile server asks for, e.g. "© OpenStreetMap contributors" (shown as text).
MAP_TILE_ATTRIBUTION = env_str("GEMEINSINN_MAP_TILE_ATTRIBUTION", "")
_map_tile_hosts = []
if MAP_TILE_URL:
    _tiles = urlparse(MAP_TILE_URL)
    # {s} stands for the tile server's subdomains (a.tile…, b.tile…): allow them all.
    _map_tile_hosts = [f"https://{_tiles.netloc.replace('{s}', '*')}"]

# A geocoder for radius searches around an address: a Nominatim-compatible search URL such as
# https://geocoder.example.org/search (called server-side with ?q=…&format=jsonv2&limit=1).
# Empty, the default: postcodes and Stadtteile are located from the platform's own data and
# nothing is sent to any other host. A geocoder learns the addresses people search for.
GEOCODER_URL = env_url("GEMEINSINN_GEOCODER_URL", "", schemes=("https",)) or ""
# How long a rendered search of the engagement exchange is reused (0 = never). Any change to an
# opportunity of the town makes it stale at once, so this bounds only taxonomy renames.
SEARCH_CACHE_SECONDS = env_int("GEMEINSINN_SEARCH_CACHE_SECONDS", 300, minimum=0)
# How long a web worker reuses its lookup of a municipality by slug (0 = every request asks
# the database). Bounds how late other workers see a switched-off module or a new name.
MUNICIPALITY_CACHE_SECONDS = env_int("GEMEINSINN_MUNICIPALITY_CACHE_SECONDS", 5, minimum=0)
GEOCODER_TIMEOUT_SECONDS = env_int("GEMEINSINN_GEOCODER_TIMEOUT_SECONDS", 3, minimum=1)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_extra_img, *_map_tile_hosts],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Platform -------------------------------------------------------------------------------------
PLATFORM_NAME = env_str("GEMEINSINN_PLATFORM_NAME", "gemeinsinn")
OPERATOR_NAME = env_str("GEMEINSINN_OPERATOR_NAME", "Betreiber dieser Installation")
OPERATOR_ADDRESS = env_str("GEMEINSINN_OPERATOR_ADDRESS", "")
OPERATOR_EMAIL = env_str("GEMEINSINN_OPERATOR_EMAIL", "")
# With one municipality the slug can disappear from every URL.
SINGLE_MUNICIPALITY = env_str("GEMEINSINN_SINGLE_MUNICIPALITY", "")

# --- Logging ---------------------------------------------------------------------------------------
LOG_LEVEL = env_str("GEMEINSINN_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise SettingError("GEMEINSINN_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL.")
LOG_FORMAT = env_str("GEMEINSINN_LOG_FORMAT", "text" if DEV or DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise SettingError("GEMEINSINN_LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "gemeinsinn.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "stream": sys.stderr, "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
