"""Moments and days as the ISO 8601 text the downloads write, made by the
database: a large download spends less reading them as text than it would
turning each into a Python datetime and back.

Each gives what Python's isoformat() gives for the same value, which the
golden file of claims.csv (tests/data/claims-golden.csv) holds to."""

from django.db import models
from django.db.models import Func


class IsoUtc(Func):
    """A moment in UTC: '2023-09-20T09:00:00Z', with '.ffffff' before the Z
    only when it has microseconds, as isoformat() has."""

    arity = 1
    output_field = models.CharField()

    def as_postgresql(self, compiler, connection, **extra):
        # The format has its microseconds always; the replace drops them
        # when they are nought, as isoformat() does.
        return self.as_sql(
            compiler,
            connection,
            template="(replace(to_char(%(expressions)s AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '') || 'Z')",
        )

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores a moment in SQLite as str() of its naive UTC
        # datetime: 'YYYY-MM-DD HH:MM:SS', '.ffffff' after it when not nought.
        return self.as_sql(
            compiler, connection, template="(replace(%(expressions)s, ' ', 'T') || 'Z')"
        )


class IsoDate(Func):
    """A day: '2023-09-27', or NULL for none."""

    arity = 1
    output_field = models.CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')")

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores a day in SQLite as its ISO text already.
        return self.as_sql(compiler, connection, template="%(expressions)s")
