"""Settings shared by every environment.

Everything that differs between machines comes from the environment; see `.env.example`.
"""

from __future__ import annotations

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.dotenv import read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# django-ninja (the open data API, opendata/) is not an installed app: importing it loads
# pydantic (≈ 8 MiB per worker) at start-up. Its Swagger UI template and assets are found here;
# the API itself is imported by its first request (opendata/urls.py).
NINJA_DIR = Path(importlib.util.find_spec("ninja").origin).parent
read_env_file()  # `.env`, if present; the real environment wins


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# --- Core -----------------------------------------------------------------------------------
SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications ---------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    # Five of Wagtail's apps without the routers they add to its v3 API, which this site does
    # not serve: ninja + pydantic not loaded in every worker (cms/wagtail_apps.py).
    "cms.wagtail_apps.RedirectsConfig",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "cms.wagtail_apps.SnippetsConfig",
    "cms.wagtail_apps.DocumentsConfig",
    "cms.wagtail_apps.ImagesConfig",
    "wagtail.search",
    "wagtail.admin",
    "cms.wagtail_apps.LocalesConfig",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "corsheaders",
]
LOCAL_APPS = [
    "cms",
    "catalog",
    "catalog.search",
    "traceability",
    "storefront",
    "security",
    "accounts",
    "evaluation",
    "registry",
    "places",
    "opendata",
    "registration",
    "reviews",
]
INSTALLED_APPS = LOCAL_APPS[:1] + DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS[1:]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "security.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS for the open data API only (CORS_URLS_REGEX), before anything that answers early.
    "corsheaders.middleware.CorsMiddleware",
    # HTML compressed, brotli or gzip (BREACH: docs/operations.md, cms/compression.py),
    # and 304s for ETag/Last-Modified.
    "cms.compression.CompressionMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After CSRF (each visitor's token on a hit), before auth: cms/pagecache.py.
    "cms.pagecache.PageCacheMiddleware",
    # Wagtail's Site for the request from each worker's copy, not a query (cms/sitememo.py).
    "cms.sitememo.SiteMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a sign-in refused by the lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a background task writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Axes first: it refuses a locked account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.ShopperBackend",  # shoppers: phone number + password, e-mail links
]
# What a signed-in shopper's checkout form starts with (saved addresses, docs/storefront.md).
CHECKOUT_INITIAL = "accounts.services.checkout_initial"

# --- Abuse: sign-in lockout, client address, rate limits (docs/security.md) -----------------
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
# Checked at start-up (security.checks); none by default: REMOTE_ADDR is the client.
TRUSTED_PROXIES = [p.strip() for p in env("TRUSTED_PROXIES").split(",") if p.strip()]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
# No reset on success: it would clear the address's records, so one valid account would let an
# attacker guess other accounts' passwords without end. Failures age out after the cool-off.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "security.client.client_bucket"  # an IPv6 client: its /64
AXES_LOCKOUT_CALLABLE = "security.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # officers unlock in the Wagtail admin (Settings → Sign-in locks)
AXES_VERBOSE = False
# Per client address: scope → (requests, seconds); defaults in security/throttle.py.
RATE_LIMITS: dict[str, tuple[int, int]] = {}
# The open data API (docs/api.md) may be read from any origin, with GET only; nothing else is.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After")

# --- Content-Security-Policy (django-csp; security/middleware.py) ----------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Videos an editor embeds in rich text (Wagtail embeds); nothing else may be framed.
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        # + Stripe Checkout when card payment is on (security/middleware.py).
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The Wagtail admin runs inline scripts and styles of its own: these replace the above there.
ADMIN_CONTENT_SECURITY_POLICY = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", "https:"],
}
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call from officers' browsers to an outside host
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # nor to Gravatar (it would learn officers' e-mails)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# New pages get an alias in every other locale, so the English tree follows the Vietnamese one.
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static", NINJA_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise's compressed manifest storage; each URL worked out once per process
    "staticfiles": {"BACKEND": "cms.staticfiles.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Chợ OCOP"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Renditions in WebP (about a third smaller than JPEG; every current phone browser shows it),
# made after each upload by cms/renditions.py.
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"jpeg": "webp", "png": "webp", "bmp": "webp", "heic": "webp"}
WAGTAILIMAGES_WEBP_QUALITY = 78
# Well below Wagtail's 128 MP: a 121 MP PNG took one worker to 393 MB when resized.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.image_forms.VerifiedImageForm"  # + Pillow verify()
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_MODERATION_ENABLED = True

# --- Cache ----------------------------------------------------------------------------------
# One cache shared by every worker: Redis when REDIS_URL is set (docs/operations.md), else files
# under var/cache (no server; measured faster to read than the database cache, docs/benchmarks.md).
# The page cache (cms.pagecache) and rate limits both use it.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "ocop"),
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
# Whole pages for anonymous visitors, voided exactly by tags (cms/pagecache.py).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = int(env("PAGE_CACHE_TIMEOUT", "3600"))
# Seconds by which two app servers' clocks may differ (a change voids pages begun this early).
PAGE_CACHE_CLOCK_SKEW = float(env("PAGE_CACHE_CLOCK_SKEW", "1.0"))

# --- Background tasks -----------------------------------------------------------------------
# Immediate in dev and tests; production runs `manage.py db_worker` (docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Chợ OCOP <no-reply@localhost>")
OCOP_OFFICER_EMAIL = env("OCOP_OFFICER_EMAIL", "")

# --- Search ---------------------------------------------------------------------------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
# An OpenSearch node instead (same engine, opensearch-py on the wire); ELASTICSEARCH_URL wins.
OPENSEARCH_URL = env("OPENSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", "ocop")

# --- Payments -------------------------------------------------------------------------------
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
