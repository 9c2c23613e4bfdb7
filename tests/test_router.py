"""Public reads can go to a read replica; the admin and every write use the primary."""

import pytest
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.routers import ReplicaRouter, public_read
from tests.factories import EventFactory
from tracker.models import Event

ROUTER = ["config.routers.ReplicaRouter"]


def test_reads_outside_a_public_request_use_the_primary():
    assert ReplicaRouter().db_for_read(Event) == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reads_for_a_public_request_use_the_replica():
    with public_read():
        assert ReplicaRouter().db_for_read(Event) == "replica"


def test_writes_always_use_the_primary():
    with public_read():
        assert ReplicaRouter().db_for_write(Event) == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reads_inside_a_transaction_use_the_primary():
    with public_read(), transaction.atomic():
        assert ReplicaRouter().db_for_read(Event) == "default"


def test_only_the_primary_is_migrated():
    router = ReplicaRouter()

    assert router.allow_migrate("default", "tracker")
    assert not router.allow_migrate("replica", "tracker")


def queries(alias, request):
    with CaptureQueriesContext(connections[alias]) as captured:
        response = request()
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ROUTER
    settings.PAGE_CACHE_SECONDS = 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_an_anonymous_reader_is_served_from_the_replica(routed):
    event = EventFactory(title="Ceasefire announced")
    url = event.conflict.get_absolute_url()

    assert queries("default", lambda: Client().get(url)) == 0
    assert queries("replica", lambda: Client().get(url)) > 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_admin_reads_from_the_primary(routed, django_user_model):
    administrator = django_user_model.objects.create_superuser(
        "administrator", "administrator@example.org", "pw"
    )
    EventFactory(title="Ceasefire announced")
    client = Client()
    client.force_login(administrator)
    url = reverse("admin:tracker_event_changelist")

    assert queries("replica", lambda: client.get(url)) == 0
    assert queries("default", lambda: client.get(url)) > 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_signed_in_staff_read_public_pages_from_the_primary(routed, django_user_model):
    administrator = django_user_model.objects.create_superuser(
        "administrator", "administrator@example.org", "pw"
    )
    draft = EventFactory(title="Draft", status=Event.Status.DRAFT)
    client = Client()
    client.force_login(administrator)

    assert queries("replica", lambda: client.get(draft.get_absolute_url())) == 0
