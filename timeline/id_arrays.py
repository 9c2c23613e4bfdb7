"""A filter on a long list of ids, sent to PostgreSQL as one array.

`id IN (%s, %s, ...)` with a thousand ids costs a thousand parameters: each
prepared by Django, quoted by psycopg into the query's text, and parsed by
the database. `id = ANY(%s)` sends the list as one array parameter, which
costs a download of half a million claims a tenth of its time less; the
database reads it along the same index. SQLite has no arrays and gets the
`IN` list.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, F, Lookup


class AnyOf(Lookup):
    """True where the field is one of the ids:
    `Claim.objects.filter(AnyOf(F("event_id"), ids))`."""

    lookup_name = "any_of"
    prepare_rhs = False
    output_field = BooleanField()

    def __init__(self, lhs, ids):
        super().__init__(F(lhs) if isinstance(lhs, str) else lhs, list(ids))

    def get_prep_lookup(self):
        return self.rhs

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)
