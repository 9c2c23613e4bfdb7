"""Public reads from a read replica.

With DATABASE_REPLICA_URL set, what anonymous readers ask for (GET and HEAD
outside the admin, without a session or credentials:
timeline.requests.is_anonymous_read) is read from the "replica" database.
Everything else uses the primary: every write, the admin and signed-in staff
(who must see what they just saved), reads inside a transaction, management
commands, and anything outside a request.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from timeline.requests import is_anonymous_read

REPLICA = "replica"

_public_read = ContextVar("public_read", default=False)


@contextmanager
def public_read():
    """Reads in this block may come from the replica."""
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _public_read.get()
            and REPLICA in settings.DATABASES
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica copies the primary's schema


class ReplicaReadsMiddleware:
    """Lets an anonymous reader's request read from the replica. A streamed
    answer (a download) reads from the primary once this returns."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            return self.get_response(request)
        with public_read():
            return self.get_response(request)
