"""The project's settings with what the test suite needs on top."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only")

from tracker.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render pages without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A second alias standing for a read replica, for the router's tests: the
# same test database, reached through its own connection. Nothing is routed
# to it unless a test turns the router on.
DATABASES = {**DATABASES, "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}}}  # noqa: F405
