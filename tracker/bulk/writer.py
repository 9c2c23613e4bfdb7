"""Writing many rows fast: each table's rows are tuples with their ids chosen
by the caller, written by COPY on PostgreSQL and by bulk_create elsewhere. It
knows columns and tables, not what the rows mean (see tracker.bulk.generator)."""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connections
from django.db.models import Max


@dataclass
class Table:
    """One table being filled: its columns in our order, then every other
    column at its default, so that fields added later need no change here."""

    model: type
    columns: list
    using: str = "default"
    rows: list = field(default_factory=list)
    written: int = 0

    def __post_init__(self):
        by_attname = {f.attname: f for f in self.model._meta.concrete_fields if not f.primary_key}
        unknown = set(self.columns) - set(by_attname)
        if unknown:
            raise ValueError(f"{self.model.__name__} has no columns {sorted(unknown)}")
        self.extra_columns, self.extra_values = [], ()
        for attname, model_field in by_attname.items():
            if attname in self.columns:
                continue
            if model_field.has_db_default() and not model_field.has_default():
                continue  # the database fills it in
            if not (model_field.has_default() or model_field.null or model_field.blank):
                raise ValueError(f"No value for {self.model.__name__}.{attname}")
            self.extra_columns.append(attname)
            self.extra_values += (model_field.get_default(),)
        top = self.model.objects.using(self.using).aggregate(top=Max("pk"))["top"]
        self.next_id = (top or 0) + 1

    def add(self, *values):
        """Add a row (without its id) and return its new id."""
        row_id = self.next_id
        self.next_id += 1
        self.rows.append((row_id, *values))
        return row_id

    def all_columns(self):
        return ["id", *self.columns, *self.extra_columns]


class Writer:
    """Writes tables to the database: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, using, progress):
        self.using = using
        self.progress = progress
        self.connection = connections[using]
        self.copy = self.connection.vendor == "postgresql"

    def flush(self, table):
        if not table.rows:
            return
        if self.copy:
            self._copy(table)
        else:
            names = table.all_columns()
            table.model.objects.using(self.using).bulk_create(
                [
                    table.model(**dict(zip(names, row + table.extra_values, strict=True)))
                    for row in table.rows
                ],
                batch_size=500,
            )
        table.written += len(table.rows)
        table.rows = []

    def _copy(self, table):
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(_column(table.model, name)) for name in table.all_columns())
        sql = f"COPY {quote(table.model._meta.db_table)} ({columns}) FROM STDIN"
        extra = table.extra_values
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in table.rows:
                copy.write_row(row + extra)

    @contextmanager
    def checked_afterwards(self, models):
        """On PostgreSQL, drop the foreign keys of `models` and the indexes
        that back no constraint, and add them again at the end: one sort per
        index and one join per foreign key are much faster than checking and
        updating them row by row. Adding a foreign key checks every row."""
        if not self.copy:
            yield
            return
        tables = [model._meta.db_table for model in models]
        with self.connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
                FROM pg_constraint
                WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
                """,
                [tables],
            )
            foreign_keys = cursor.fetchall()
            for table, name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            cursor.execute(
                """
                SELECT quote_ident(i.schemaname) || '.' || quote_ident(i.indexname), i.indexdef
                FROM pg_indexes i
                WHERE i.tablename = ANY(%s)
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c
                    WHERE c.conindid = (quote_ident(i.schemaname) || '.'
                                        || quote_ident(i.indexname))::regclass
                  )
                """,
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        yield
        with self.connection.cursor() as cursor:
            # Other tables' foreign keys are checked at the end of the
            # transaction, and no index can be built on a table with checks
            # still pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for name, definition in indexes:
                self.progress(f"building index {name}")
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                self.progress(f"checking foreign key {name}")
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")

    def reset_sequences(self, models):
        statements = self.connection.ops.sequence_reset_sql(no_style(), models)
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _column(model, attname):
    return next(f.column for f in model._meta.concrete_fields if f.attname == attname)
