"""A filter on a long list of ids, sent to PostgreSQL as one array.

`id IN (%s, %s, ...)` with a thousand ids costs a thousand parameters: each
prepared by Django, quoted by psycopg into the query's text, and parsed by
the database. `id = ANY(%s)` sends the list as one array parameter, which
costs a download of half a million claims a tenth of its time less; the
database reads it along the same index. The array goes as its text,
`{1,2,3}`, cast to the column's type: psycopg would build it in Python id by
id (1.3 ms of CPU for 1,500 ids, against 0.3 ms for the text). SQLite has no
arrays and gets the `IN` list.
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
        # No id is NULL (it would match nothing), and each is a number, so
        # that the text is an array of the column's type and nothing else.
        ids = [str(int(pk)) for pk in self.rhs if pk is not None]
        if not ids:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        db_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{db_type}[])", (*lhs_params, "{" + ",".join(ids) + "}")
