"""Settings shared by every environment. Everything that differs comes from the environment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url

from casemgmt.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CASEWORK_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_beat",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "accounts",
    "cases",
    "referrals",
    "assessments",
    "careplans",
    "reports",
    "notifications",
    "api",
    "audit",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "casemgmt.middleware.CsrfCookieSentWhenChanged",  # just after Django's: see there
    "accounts.middleware.AuthenticationMiddleware",
    "accounts.middleware.OTPMiddleware",
    "audit.middleware.AuditMiddleware",
    "casemgmt.middleware.SessionTimeouts",
    "accounts.middleware.RequireSecondFactor",
    "casemgmt.middleware.NoStoreWhenSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "casemgmt.middleware.RefusedAsPage",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After the headers every page gets (its 400 gets them too); no middleware above reads
    # the query.
    "casemgmt.middleware.RefuseNulInAddress",
    # Last, so that it turns a lockout found anywhere into the lockout response.
    "axes.middleware.AxesMiddleware",
]

# Content Security Policy: scripts only from our own static files (no inline script
# anywhere), no plugins, no <base>, never framed. Inline style attributes are allowed
# because the Django admin and htmx set them; styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

if env_bool("CASEWORK_BENCH", False):
    MIDDLEWARE.insert(0, "casemgmt.middleware.QueryCountHeader")

ROOT_URLCONF = "casemgmt.urls"
WSGI_APPLICATION = "casemgmt.wsgi.application"

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
                "notifications.context_processors.unread_count",
                "accounts.context_processors.signed_in",
            ],
            "builtins": ["cases.templatetags.casework"],
        },
    },
]

# SQLite under var/ when no DATABASE_URL is given: zero set-up for a first look.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'casework.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Parameters bound by the server, so that the queries casemgmt.db.planned_once() marks are
# prepared and PostgreSQL plans each once per connection; psycopg prepares nothing else on
# its own. Behind a transaction-pooling PgBouncer that cannot keep prepared statements, set
# DATABASE_PREPARED_STATEMENTS=false.
CASEWORK_PREPARED_STATEMENTS = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "server_side_binding": env_bool("DATABASE_SERVER_SIDE_BINDING", True),
        "prepare_threshold": None})
    CASEWORK_PREPARED_STATEMENTS = DATABASES["default"]["OPTIONS"]["server_side_binding"] and (
        env_bool("DATABASE_PREPARED_STATEMENTS", True))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Wait for a writer rather than failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# The same backends, with each shape of query compiled to SQL once per process
# (casemgmt.db.compiled), and PostgreSQL's times read by psycopg's own loader.
# DATABASE_COMPILE_ONCE=false gives Django's own, as they are.
if env_bool("DATABASE_COMPILE_ONCE", True):
    DATABASES["default"]["ENGINE"] = {
        "django.db.backends.postgresql": "casemgmt.db.postgresql",
        "django.db.backends.sqlite3": "casemgmt.db.sqlite3",
    }.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
# Tests turn this on: each reuse of a kept SQL is compiled again and must be the same.
CASEWORK_CHECK_COMPILED_SQL = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.CaseworkBackend"]
LOGIN_URL = "login"
LOGIN_URL_PATH = "/accounts/login/"
CASEWORK_IDLE_MINUTES = env_int("CASEWORK_IDLE_MINUTES", 30)
CASEWORK_SESSION_HOURS = env_int("CASEWORK_SESSION_HOURS", 12)
SESSION_COOKIE_AGE = CASEWORK_SESSION_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor sign-in (TOTP) for everyone, on the web, the admin and the API. Production
# refuses to start without it; only the local demo may switch it off.
CASEWORK_REQUIRE_2FA = env_bool("CASEWORK_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "casework"

# Lockout after repeated failed sign-ins, keyed on the user name *and* the real address
# (casemgmt.net.client_ip), so that a stranger elsewhere cannot lock a clinician out.
CASEWORK_LOCKOUT_MINUTES = env_int("CASEWORK_LOCKOUT_MINUTES", 30)  # 0: until an admin unlocks
AXES_FAILURE_LIMIT = env_int("CASEWORK_LOCKOUT_FAILURES", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "casemgmt.net.client_ip"
AXES_COOLOFF_TIME = (dt.timedelta(minutes=CASEWORK_LOCKOUT_MINUTES)
                     if CASEWORK_LOCKOUT_MINUTES else None)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_VERBOSE = False
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English (United Kingdom)")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded documents and rendered reports in an S3-compatible store (AWS, MinIO, Ceph...)
# instead of MEDIA_ROOT, so that web instances on several machines and the workers share
# them: `pip install "django-storages[s3]"` and set CASEWORK_S3_BUCKET. Files stay private;
# people download them only through the application's views, which check access.
if env_str("CASEWORK_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("CASEWORK_S3_BUCKET"),
            "endpoint_url": env_str("CASEWORK_S3_ENDPOINT_URL") or None,
            "region_name": env_str("CASEWORK_S3_REGION") or None,
            "access_key": env_str("CASEWORK_S3_ACCESS_KEY") or None,
            "secret_key": env_str("CASEWORK_S3_SECRET_KEY") or None,
            "location": env_str("CASEWORK_S3_PREFIX", "casework"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }

# Shared state lives in Redis where it is configured, so that any number of web instances
# can serve the same people: the cache (sessions are in the database, casemgmt.sessions).
# Without Redis (the zero-set-up default) the cache is this process's own memory.
_CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "casemgmt.cache.RedisCache",
        "LOCATION": _CACHE_URL,
        "KEY_PREFIX": "casework",
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    } if _CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
SESSION_ENGINE = "casemgmt.sessions"  # in the database, read with the person (accounts.WebSession)

# Email: console output unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "casework <no-reply@casework.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: Redis as broker when configured; otherwise tasks run in the caller, eagerly,
# so that the zero-set-up install still delivers notifications.
_BROKER = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL")
CELERY_BROKER_URL = _BROKER or "memory://"
# kombu's Redis transport with its clients kept (casemgmt.broker). Not for rediss://, whose
# TLS kombu takes from the scheme; nor for CELERY_BROKER_READ_URL or _WRITE_URL, which Celery
# reads from the environment itself: set them, if ever, to the same kind of broker. After a
# failover to a second URL (a;b) kombu takes the transport from that URL: its own.
if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "casemgmt.broker:Transport"
CELERY_TASK_ALWAYS_EAGER = not _BROKER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.SignedInAndVerified"],
    "EXCEPTION_HANDLER": "api.exceptions.handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",  # refuses lone surrogates and too deep a nesting (400)
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "casework API",
    "DESCRIPTION": (
        "Rehabilitation case management: clients, cases and every step of a case, under the "
        "same rules as the web. Errors: {detail, code, errors{field: [messages]}}; 400 "
        "invalid, 403 not permitted, 404 not found (also outside your scope), 409 wrong state "
        "or changed meanwhile."
    ),
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, so that clients generated from the schema read well.
    "ENUM_NAME_OVERRIDES": {
        "RiskLevelEnum": "cases.models.RiskLevel",
        "ContactMethodEnum": "cases.models.ContactMethod",
        "SettingEnum": "referrals.models.Setting",
        "SpecialismEnum": "accounts.models.Specialism",
        "NoteKindEnum": "cases.models.NoteKind",
        "DocumentKindEnum": "referrals.models.DocumentKind",
        "LineKindEnum": "referrals.models.LineKind",
        "AppointmentKindEnum": "assessments.models.AppointmentKind",
        "InterventionKindEnum": "careplans.models.InterventionKind",
        "OrganisationKindEnum": "accounts.models.OrganisationKind",
        "CostingStatusEnum": "referrals.models.CostingStatus",
        "PlanStatusEnum": "careplans.models.PlanStatus",
        "GoalStatusEnum": "careplans.models.GoalStatus",
        "OnwardReferralStatusEnum": "cases.models.OnwardReferralStatus",
        "CaseStateEnum": "cases.models.CaseState",
    },
}

# The working rules of a practice, each overridable from the environment.
CASEWORK = {
    "DEFAULT_VAT_RATE": "20.00",
    "DEFAULT_CURRENCY": "GBP",
    "DEFAULT_REPORT_INTERVAL_WEEKS": env_int("CASEWORK_REPORT_INTERVAL_WEEKS", 4),
}

# When reminders and escalations fall due. Working days skip weekends and the bank holidays
# listed in CASEWORK_BANK_HOLIDAYS (ISO dates, comma-separated), as people count them.
CASEWORK_REMINDERS = {
    "REPORT_DUE_SOON_DAYS": env_int("CASEWORK_REPORT_DUE_SOON_DAYS", 3),
    "REFERRAL_WAITING_WORKING_DAYS": env_int("CASEWORK_REFERRAL_WAITING_WORKING_DAYS", 2),
    "COSTING_WAITING_WORKING_DAYS": env_int("CASEWORK_COSTING_WAITING_WORKING_DAYS", 3),
    "NOT_SCHEDULED_WORKING_DAYS": env_int("CASEWORK_NOT_SCHEDULED_WORKING_DAYS", 5),
    "BUDGET_WARNING_FRACTION": "0.8",
    "BATCH_SIZE": env_int("CASEWORK_REMINDER_BATCH_SIZE", 1000),
}
# How many proxies of our own stand in front of the application, each appending the address
# it saw to X-Forwarded-For. 0: use the connection's address and ignore the header.
CASEWORK_TRUSTED_PROXIES = env_int("CASEWORK_TRUSTED_PROXIES", 0)
CASEWORK_MAX_UPLOAD_BYTES = env_int("CASEWORK_MAX_UPLOAD_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CASEWORK_BANK_HOLIDAYS = env_list("CASEWORK_BANK_HOLIDAYS", [])

# How long a client's records are kept after their last case ends, before the personal data
# is erased and the statistics kept. Eight years: the usual term for adult health records.
CASEWORK_RETENTION_DAYS = env_int("CASEWORK_RETENTION_DAYS", 8 * 365 + 2)

# Publishing a task must not hang a request when the broker is down: the step has
# committed, its emails wait in the outbox (Notification rows) for the next flush.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.5}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per task run is noise in the web process when tasks run eagerly.
    "loggers": {
        "celery.app.trace": {"level": env_str("CELERY_TRACE_LOG_LEVEL", "WARNING")},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
