"""Production mode: the app server's refusals, the deploy check, and the
settings a production environment reads."""

import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.production import refuse_unsafe_production

BASE_DIR = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3y-for-the-tests-" + "aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX2yZ3"
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "postgres://tracker@db.example.org:5432/tracker",
    "REDIS_URL": "redis://cache.example.org:6379/0",
}
SHARED_CACHE = {
    "BACKEND": "config.cache.SharedRedisCache",
    "LOCATION": "redis://127.0.0.1:6379/15",
}


@pytest.fixture
def production(settings, db):
    """Settings as a correctly configured production server has them, with
    the test database (PostgreSQL or not) standing for its PostgreSQL."""
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    settings.CACHES = {**settings.CACHES, "default": SHARED_CACHE}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Overriding setting DATABASES")
        default = {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}
        settings.DATABASES = {**settings.DATABASES, "default": default}
    yield settings
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Overriding setting DATABASES")
        del settings.DATABASES


def test_the_app_server_starts_in_production_when_configured(production):
    refuse_unsafe_production()


def test_the_app_server_refuses_to_start_in_production_without_a_secret_key(production):
    production.SECRET_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set"):
        refuse_unsafe_production()


@pytest.mark.parametrize(
    "key",
    [
        "development-only-key-never-used-in-production",
        "short-but-random-Zq8#",
        "a" * 60,
        "django-insecure-" + "x1y2z3w4v5" * 5,
    ],
)
def test_the_app_server_refuses_a_weak_or_development_secret_key(production, key):
    production.SECRET_KEY = key
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is too weak"):
        refuse_unsafe_production()


def test_the_app_server_refuses_to_start_in_production_without_allowed_hosts(production):
    production.ALLOWED_HOSTS = []
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS is not set"):
        refuse_unsafe_production()


def test_the_app_server_refuses_to_allow_any_host(production):
    production.ALLOWED_HOSTS = ["tracker.example.org", "*"]
    with pytest.raises(ImproperlyConfigured, match=r"DJANGO_ALLOWED_HOSTS allows any host \(\*\)"):
        refuse_unsafe_production()


def test_the_app_server_refuses_a_cache_of_its_own(production):
    production.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL is not set"):
        refuse_unsafe_production()


def test_the_app_server_refuses_lockouts_kept_in_a_cache_of_its_own(production):
    production.AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
    production.AXES_CACHE = "lockouts"
    production.CACHES = {
        "default": SHARED_CACHE,
        "lockouts": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    with pytest.raises(ImproperlyConfigured, match="the lockouts cache"):
        refuse_unsafe_production()


def test_the_app_server_refuses_to_start_without_redis_from_the_environment():
    environ = {name: value for name, value in PRODUCTION_ENV.items() if name != "REDIS_URL"}
    result = start_app_server(**environ)
    assert result.returncode == 1
    assert "REDIS_URL is not set" in result.stderr


def test_the_deploy_check_fails_without_a_shared_cache():
    environ = {name: value for name, value in PRODUCTION_ENV.items() if name != "REDIS_URL"}
    result = run([sys.executable, "manage.py", "check", "--deploy"], **environ)
    assert result.returncode == 1
    assert "timeline.E001" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_the_app_server_refuses_debug(production):
    production.DEBUG = True
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG is on"):
        refuse_unsafe_production()


def run(args, **environ):
    """A fresh process in the project folder with only these variables of
    ours set: what an operator's shell would start."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "GUNICORN_"))
    }
    env.update(environ)
    return subprocess.run(
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def start_app_server(**environ):
    """Load the app server's application as gunicorn would."""
    return run([sys.executable, "-c", "import config.wsgi"], **environ)


@pytest.mark.parametrize("value", ["1", "yes", "on", "True", "true"])
def test_the_app_server_refuses_debug_however_it_is_spelled(value):
    result = start_app_server(**PRODUCTION_ENV, DJANGO_DEBUG=value)
    assert result.returncode == 1
    assert "DJANGO_DEBUG is on" in result.stderr


@pytest.mark.parametrize("url", ["", "sqlite:///tracker.sqlite3"])
def test_the_app_server_refuses_sqlite(url):
    result = start_app_server(**{**PRODUCTION_ENV, "DATABASE_URL": url})
    assert result.returncode == 1
    assert "DATABASE_URL is not set or names SQLite" in result.stderr


def test_the_app_server_refuses_any_host_from_the_environment():
    result = start_app_server(**{**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": "*"})
    assert result.returncode == 1
    assert "DJANGO_ALLOWED_HOSTS allows any host" in result.stderr


def test_the_app_server_refuses_an_unreachable_database_at_once():
    # Nothing listens on port 1: the connection is refused at once.
    unreachable = "postgres://tracker@127.0.0.1:1/tracker"
    started = time.monotonic()
    result = start_app_server(**{**PRODUCTION_ENV, "DATABASE_URL": unreachable})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "the database at DATABASE_URL cannot be reached" in result.stderr
    assert time.monotonic() - started < 30


def test_an_unanswering_database_is_given_up_on_after_a_few_seconds():
    options = read_settings("DATABASES", **PRODUCTION_ENV)[0]["default"]["OPTIONS"]
    assert options["connect_timeout"] == 5


def test_postgresql_connections_ask_for_no_jit_compilation_unless_told_otherwise():
    options = read_settings("DATABASES", **PRODUCTION_ENV)[0]["default"]["OPTIONS"]
    assert options["options"] == "-c jit=off"
    plain = {**PRODUCTION_ENV, "DJANGO_DATABASE_STARTUP_OPTIONS": ""}
    assert "options" not in read_settings("DATABASES", **plain)[0]["default"]["OPTIONS"]


def test_the_development_server_serves_without_production_checks():
    assert read_settings("WSGI_APPLICATION", DJANGO_DEBUG="true") == [
        "config.development.application"
    ]
    result = run([sys.executable, "-c", "import config.development"], DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_without_debug_even_the_development_server_checks_production():
    assert read_settings("WSGI_APPLICATION") == ["config.wsgi.application"]


def test_the_wsgi_app_says_in_one_paragraph_what_to_set_and_exits():
    result = run([sys.executable, "-c", "import config.wsgi"])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert "\n" not in message
    assert message.startswith("Refusing to start in production:")
    for name in ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "make run"]:
        assert name in message


def test_gunicorn_stops_at_once_with_the_message_when_production_is_not_configured():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = run([str(gunicorn), "--bind", "127.0.0.1:0"], DJANGO_SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert "Booting worker" not in result.stderr


def test_the_deploy_check_passes_with_production_settings():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_reports_the_second_factor_switched_off():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION_ENV,
        DJANGO_OTP_REQUIRED="false",
    )
    assert result.returncode == 1
    assert "tracker.W001" in result.stderr
    assert "second factor" in result.stderr


def test_offline_commands_run_in_production_mode_without_secrets():
    result = run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stderr


def read_settings(*names, **environ):
    code = "from config import settings as s; " + "; ".join(
        f"print(repr(s.{name}))" for name in names
    )
    result = run([sys.executable, "-c", code], **environ)
    assert result.returncode == 0, result.stderr
    return [eval(line) for line in result.stdout.splitlines()]  # noqa: S307 (our own reprs)


def test_production_sends_everyone_to_https_and_keeps_cookies_there():
    assert read_settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        **PRODUCTION_ENV,
    ) == [True, 31536000, True, True, True, True, True, "Lax", "Lax"]


def test_development_speaks_plain_http():
    assert read_settings(
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", DJANGO_DEBUG="true"
    ) == [False, 0, False]


def test_hsts_and_the_proxys_https_header_are_read_from_the_environment():
    assert read_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        DJANGO_HSTS_SECONDS="63072000",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    ) == [63072000, ("HTTP_X_FORWARDED_PROTO", "https")]


def test_no_proxy_header_is_trusted_unless_named():
    assert read_settings("SECURE_PROXY_SSL_HEADER") == [None]


def test_shared_caches_keep_pages_only_when_they_are_purged():
    assert read_settings("CACHE_PURGE_URLS", "SHARED_CACHE_SECONDS") == [[], 0]
    assert read_settings(
        "CACHE_PURGE_URLS",
        "SHARED_CACHE_SECONDS",
        DJANGO_CACHE_PURGE_URLS="http://10.0.0.5:6081/, http://10.0.0.6:6081/",
    ) == [["http://10.0.0.5:6081/", "http://10.0.0.6:6081/"], 3600]
