"""Synthetic data at scale for benchmarks (see tracker.bulk.generator).

On PostgreSQL the rows are written with COPY in one transaction, then the
tables are vacuumed and analysed so the planner sees the new sizes. The
default size (a million events) is meant for a database of its own.
"""

import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.urls import reverse

from tracker.bulk.generator import SHOWCASE_SLUG, Generator, Sizes


def positive(text):
    value = int(text.replace("_", "").replace(",", ""))
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Fill the database with synthetic conflicts, events and figure claims at scale."

    def add_arguments(self, parser):
        sizes = Sizes()
        parser.add_argument("--conflicts", type=positive, default=sizes.conflicts)
        parser.add_argument("--events", type=positive, default=sizes.events)
        parser.add_argument(
            "--largest",
            type=positive,
            default=sizes.largest,
            help="Events in the largest conflict.",
        )
        parser.add_argument(
            "--small",
            type=positive,
            default=sizes.small,
            help="Events in the last conflict, to compare pages of a small and a large one.",
        )
        parser.add_argument("--claims", type=int, default=sizes.claims)
        parser.add_argument("--seed", type=int, default=sizes.seed)
        parser.add_argument(
            "--prefix", default="bulk", help="Conflict slugs are PREFIX-000, PREFIX-001, ..."
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Delete everything in the tracker's tables first (a benchmark database only).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        using = options["database"]
        connection = connections[using]
        sizes = Sizes(
            conflicts=options["conflicts"],
            events=options["events"],
            largest=options["largest"],
            small=options["small"],
            claims=options["claims"],
            seed=options["seed"],
        )
        started = time.monotonic()

        def progress(message):
            self.stdout.write(f"{time.monotonic() - started:6.0f} s  {message}")

        if options["flush"]:
            self._flush(connection)
            progress("emptied the tracker's tables")
        generator = Generator(sizes, prefix=options["prefix"], using=using, progress=progress)
        try:
            with transaction.atomic(using=using):
                written = generator.run()
        except ValueError as error:
            raise CommandError(str(error)) from error
        if connection.vendor == "postgresql":
            tables = ", ".join(table.model._meta.db_table for table in generator.all_tables())
            # VACUUM also marks pages all-visible, for index-only scans; it
            # cannot run inside a transaction, such as a test's.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            progress(f"{command} of the tables")
            with connection.cursor() as cursor:
                cursor.execute(f"{command} {tables}")
        progress(
            "done: " + ", ".join(f"{count:,} {name}" for name, count in written.items() if count)
        )
        largest = f"{options['prefix']}-000"
        self.stdout.write(f"Largest conflict: {reverse('timeline:conflict', args=[largest])}")
        showcase = reverse("timeline:event", args=[largest, SHOWCASE_SLUG])
        self.stdout.write(f"Event with the most detail: {showcase}")

    def _flush(self, connection):
        tables = [model._meta.db_table for model in apps.get_app_config("tracker").get_models()]
        statements = connection.ops.sql_flush(
            no_style(), tables, reset_sequences=True, allow_cascade=True
        )
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
