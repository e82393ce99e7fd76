"""Production: refuses to start without a real SECRET_KEY; secure cookies and HSTS."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from casemgmt.env import env_bool, env_int, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "Production needs a real SECRET_KEY in the environment: at least 50 random characters, "
        "not the development key. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

if not env_bool("CASEWORK_REQUIRE_2FA", True):
    raise ImproperlyConfigured(
        "Two-factor sign-in cannot be switched off in production: unset CASEWORK_REQUIRE_2FA."
    )
CASEWORK_REQUIRE_2FA = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
