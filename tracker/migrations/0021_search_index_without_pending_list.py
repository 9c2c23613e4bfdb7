"""The search documents' index takes each write at once, with no pending
list for searches to read (tracker/search.py, DOCUMENT_SQL)."""

from django.db import migrations

STORAGE_SQL = "ALTER INDEX event_search_document_idx SET (fastupdate = off)"


def without_pending_list(apps, schema_editor):
    # The index exists only on PostgreSQL; SQLite searches by substring.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STORAGE_SQL)


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX event_search_document_idx RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0020_event_conflict_without_its_own_index"),
    ]

    operations = [
        migrations.RunPython(without_pending_list, with_pending_list),
    ]
