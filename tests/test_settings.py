import pytest
from django.core.exceptions import ImproperlyConfigured

from tracker.production import refuse_unsafe_production


def test_the_app_server_refuses_to_start_in_production_without_a_secret_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = ""
    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY must be set"):
        refuse_unsafe_production()


def test_the_app_server_refuses_to_start_in_production_without_allowed_hosts(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = []
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS must be set"):
        refuse_unsafe_production()


def test_the_app_server_starts_in_production_when_configured(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["tracker.example.org"]
    refuse_unsafe_production()
