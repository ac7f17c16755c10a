"""Settings for the 督办 project: one module, secrets and hosts from the environment."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_url(url: str) -> dict:
    """Turn a DATABASE_URL (sqlite:///path or postgresql://user:pw@host:port/name) into DATABASES["default"]."""
    # A dozen lines cover the two databases we support; a dependency would add nothing here.
    parts = urlsplit(url)
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme == "sqlite":
        name = (
            unquote(parts.path[1:] if parts.path.startswith("//") else parts.path.lstrip("/")) or "db.sqlite3"
        )
        if parts.path.startswith("//"):
            name = "/" + name.lstrip("/")
        return sqlite_database(BASE_DIR / name if not name.startswith("/") else Path(name))
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        # Server-side parameters let psycopg prepare a statement run often on a kept connection, so
        # PostgreSQL plans it once (0.2–0.4 ms a query otherwise). Behind a pooler that cannot keep
        # prepared statements, set DJANGO_PG_PREPARE_THRESHOLD=off.
        threshold = os.environ.get("DJANGO_PG_PREPARE_THRESHOLD", "5").strip().lower()
        if threshold not in {"", "off", "none", "0"}:
            options = {"server_side_binding": True, "prepare_threshold": int(threshold)} | options
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported (sqlite or postgresql)."
    )


def sqlite_database(path: Path) -> dict:
    """SQLite tuned for a small web app: WAL, a busy timeout, immediate write transactions."""
    return {
        # Django's backend, but a transaction waits for the write lock in shorter steps (see there).
        "ENGINE": "config.sqlite3",
        "NAME": path,
        # Keep each worker's connection: opening one runs the PRAGMAs below and reads the schema.
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-20000;"
            ),
        },
    }


DEBUG = env_bool("DJANGO_DEBUG", False)
# Without DJANGO_SECRET_KEY the app still runs commands and tests; `check --deploy` flags the
# insecure key (security.W009), so a production deployment cannot miss it.
SECRET_KEY = (
    os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-local-development-only-do-not-use-in-production"
)

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "tracker",
    "importer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Load-test instrumentation (tests/bench/load.py): query counts and a bare reference page.
if env_bool("DUBAN_BENCH"):
    MIDDLEWARE = [
        "tracker.middleware.QueryCountMiddleware",
        *MIDDLEWARE,
        "tracker.middleware.BenchFloorMiddleware",
    ]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database(BASE_DIR / "db.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tracker.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tracker:home"
LOGOUT_REDIRECT_URL = "login"

# One language: no LocaleMiddleware, which would only read Accept-Language to pick it again (and add
# "Vary: Accept-Language" to every response).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Who signs the printed 督办单 (supervision notice).
DUBAN_NOTICE_ISSUER = os.environ.get("DJANGO_NOTICE_ISSUER", "").strip() or "市政府督查室"

# Mail notices (交办, 催办) through the intranet's mail server; none go out unless one is named (the
# SMTP mailer then stays at Django's old default, localhost:25, for nothing to use).
_MAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "").strip()
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _MAIL_HOST or "localhost",
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
            "username": os.environ.get("DJANGO_EMAIL_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_TLS"),
            "use_ssl": env_bool("DJANGO_EMAIL_SSL"),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_EMAIL_FROM", "").strip() or "duban@localhost"
DUBAN_MAIL_NOTICES = env_bool("DJANGO_MAIL_NOTICES", bool(_MAIL_HOST))
# The address people open the app at, for links in mail (e.g. http://duban.example.gov.cn).
DUBAN_SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip()

# The default cache is each process's memory (sessions and data live in the database). The kept
# counts' answers are named by the counts' version, so each process keeps its own copy as objects
# (tracker.cache): no pickling on a read.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "counts": {
        "BACKEND": "tracker.cache.ObjectCache",
        "LOCATION": "duban-counts",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# Evidence attachments and imported files.
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Content Security Policy: our own files only, scripts by nonce (htmx comes through {% htmx_script %}).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie; the token travels in hx-headers on <body>.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DJANGO_TABLES2_TEMPLATE = "tracker/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
