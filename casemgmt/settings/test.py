"""The test suite: fast hashing, mail kept in memory, tasks eager unless a test says otherwise."""

from __future__ import annotations

from casemgmt.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import STORAGES, VAR_DIR

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789abcdef"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests decide per test whether tasks go to a real broker; by default they run inline. A
# worker started by a test runs with CASEWORK_TEST_EAGER=0 against the same broker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CASEWORK_TEST_EAGER", True)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "test-mail"))

(VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)
# WhiteNoise scans STATIC_ROOT whenever a request handler is built, which the test client does
# for each client: once `collectstatic` has filled it (the bench test, `make run`), thousands
# of files were listed again for every client, and the URL matrix took four times as long.
# Looking each file up when asked serves the same files.
WHITENOISE_AUTOREFRESH = True
# Every reuse of a kept SQL is compiled again and compared (casemgmt.db.compiled): the whole
# suite checks that a shape's key holds everything that decides its SQL.
CASEWORK_CHECK_COMPILED_SQL = True
