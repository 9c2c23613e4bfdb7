"""The project's settings, plus the ceiling view, for `make bench`."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
