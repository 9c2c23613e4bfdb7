"""The project's settings with what the test suite needs on top."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render pages without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client and the live server speak plain HTTP; production's
# redirect to HTTPS is tested in tests/test_settings.py.
SECURE_SSL_REDIRECT = False
# Most tests sign staff in without a second factor; tests/test_accounts.py
# switches it on.
OTP_REQUIRED = False
# The suite asks many times a minute from one address; tests/test_rate_limits.py
# sets the limits it checks.
RATE_LIMITS = {"search": (10_000, 60), "api": (10_000, 60), "downloads": (10_000, 60)}

# A second alias standing for a read replica, for the router's tests: the
# same test database, reached through its own connection. Nothing is routed
# to it unless a test turns the router on.
DATABASES = {**DATABASES, "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}}}  # noqa: F405

# Cards are kept in the tests' cache of the process's memory, so that every
# test reading a page after a change checks that its cards were renewed.
CARD_CACHE_SECONDS = 600

# Uploads go to a folder of each test process's own, removed at its end
# (tests/conftest.py), which the live server serves so that browsers load
# the photos as they would from runserver.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tracker-test-media-"))
MEDIA_SERVED_BY_DJANGO = True
