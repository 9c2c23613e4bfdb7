"""The whole record in one versioned JSON file, and back (export_archive,
import_archive).

The archive holds every row of the record and of its audit history, with
their ids, so that a restore is exact. People appear only as the usernames
that history and corrections name: no passwords, no email addresses. A
restore goes into an empty database in one transaction, or not at all.

It holds the media files too: every stored original that a media item or
its history names, in base64 with its SHA-256, which the restore checks
before it writes anything. Derived sizes are not archived; the restore makes
them again from the originals.
"""

import base64
import datetime
import decimal
import hashlib
import json
import tomllib
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "conflict-tracker-archive"
# 2: with the media files.
FORMAT_VERSION = 2

# In the order a restore writes them: each after what it points to.
RECORD_MODELS = [
    "tracker.Conflict",
    "tracker.Phase",
    "tracker.Actor",
    "tracker.Place",
    "tracker.Source",
    "tracker.Event",
    "tracker.Participant",
    "tracker.Citation",
    "tracker.EventLink",
    "tracker.FigureClaim",
    "tracker.Correction",
    "tracker.MediaItem",
]


class ArchiveError(Exception):
    pass


def archived_models():
    """The record's models, then their history tables."""
    models = [apps.get_model(label) for label in RECORD_MODELS]
    history = [model.history.model for model in models if hasattr(model, "history")]
    return models + history


def app_version():
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as pyproject:
        return tomllib.load(pyproject)["project"]["version"]


def schema_migration(using=DEFAULT_DB_ALIAS):
    """The tracker's latest migration: the shape of the tables archived."""
    (leaf,) = MigrationLoader(connections[using]).graph.leaf_nodes("tracker")
    return leaf[1]


class ArchiveEncoder(json.JSONEncoder):
    """Times to the microsecond (Django's encoder keeps milliseconds only)."""

    def default(self, value):
        if isinstance(value, datetime.datetime | datetime.date | datetime.time):
            return value.isoformat()
        if isinstance(value, decimal.Decimal | uuid.UUID):
            return str(value)
        return super().default(value)


def export_archive(using=DEFAULT_DB_ALIAS):
    """The archive as a JSON text."""
    records, usernames = {}, set()
    user_model = get_user_model()
    for model in archived_models():
        rows = serializers.serialize(
            "python", model._base_manager.using(using).order_by("pk"), use_natural_foreign_keys=True
        )
        people = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is user_model
        ]
        for row in rows:
            usernames.update(row["fields"][name][0] for name in people if row["fields"][name])
        records[model._meta.label_lower] = [{"pk": row["pk"], **row["fields"]} for row in rows]
    archive = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now(),
        "app_version": app_version(),
        "schema_migration": f"tracker.{schema_migration(using)}",
        "users": sorted(usernames),
        "records": records,
        "files": [_archived_file(name) for name in _media_files(records)],
    }
    return json.dumps(archive, cls=ArchiveEncoder, ensure_ascii=False, indent=1) + "\n"


def _media_files(records):
    """The stored names of every original that media items and their
    history name, sorted."""
    rows = records.get("tracker.mediaitem", []) + records.get("tracker.historicalmediaitem", [])
    return sorted({row["image"] for row in rows if row.get("image")})


def _archived_file(name):
    with default_storage.open(name, "rb") as stored:
        content = stored.read()
    return {
        "name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "content": base64.b64encode(content).decode("ascii"),
    }


def _checked_files(archive):
    """(name, bytes) of the archive's files, each checked against its
    SHA-256; ArchiveError names the first that does not match."""
    checked = []
    for entry in archive.get("files", []):
        try:
            name, content = entry["name"], base64.b64decode(entry["content"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise ArchiveError("The archive's list of files is damaged.") from None
        if hashlib.sha256(content).hexdigest() != entry.get("sha256"):
            raise ArchiveError(
                f"The file {name} does not match its SHA-256: the archive is damaged."
            )
        if name.startswith("/") or ".." in name.split("/"):
            raise ArchiveError(f"The file name {name!r} leads outside the media storage.")
        checked.append((name, content))
    return checked


def _restore_files(files):
    """Write the files under their own names; one already stored with the
    same content is left as it is, one with other content refuses the restore."""
    for name, content in files:
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as stored:
                if stored.read() == content:
                    continue
            raise ArchiveError(f"The media storage already holds another file named {name}.")
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            raise ArchiveError(f"The media storage stored {name} as {saved}.")


def import_archive(text, using=DEFAULT_DB_ALIAS):
    """Restore an archive into an empty database; returns the number of
    rows written per model label."""
    try:
        archive = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArchiveError(f"This is not an archive: {error}") from None
    check_archive(archive, using)
    files = _checked_files(archive)
    models = archived_models()
    connection = connections[using]
    counts = {}
    with transaction.atomic(using=using):
        user_model = get_user_model()
        for username in archive["users"]:
            # People named by the history, who sign in nowhere until an
            # administrator gives them a password and a role.
            user_model._base_manager.db_manager(using).get_or_create(
                username=username, defaults={"is_active": False, "password": "!"}
            )
        with connection.constraint_checks_disabled():
            for model in models:
                rows = archive["records"].get(model._meta.label_lower, [])
                counts[model._meta.label_lower] = write_rows(model, rows, using)
        connection.check_constraints(table_names=[model._meta.db_table for model in models])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        _restore_files(files)
        media_item = apps.get_model("tracker.MediaItem")
        for item in media_item._base_manager.using(using).exclude(image=""):
            item.make_derived_files()
    counts["files"] = len(files)
    return counts


def check_archive(archive, using):
    if not isinstance(archive, dict) or archive.get("format") != FORMAT:
        raise ArchiveError("This is not an archive of this tracker.")
    if archive.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"This archive is in format version {archive.get('format_version')}; "
            f"this release reads version {FORMAT_VERSION}."
        )
    expected = f"tracker.{schema_migration(using)}"
    if archive.get("schema_migration") != expected:
        raise ArchiveError(
            f"This archive was written at schema {archive.get('schema_migration')}, this "
            f"release is at {expected}: restore it with the release that wrote it."
        )
    not_empty = [
        f"{model._meta.verbose_name_plural} ({count})"
        for model in archived_models()
        if (count := model._base_manager.using(using).count())
    ]
    if not_empty:
        raise ArchiveError(
            "The database already holds records: " + ", ".join(not_empty) + ". "
            "An archive is only restored into an empty database (a new one, migrated)."
        )


def write_rows(model, rows, using):
    label = model._meta.label_lower
    objects = [{"model": label, "pk": row["pk"], "fields": fields(row)} for row in rows]
    deferred = []
    for restored in serializers.deserialize(
        "python", objects, using=using, handle_forward_references=True
    ):
        restored.save(using=using)
        if restored.deferred_fields:
            deferred.append(restored)
    for restored in deferred:
        restored.save_deferred_fields(using=using)
    return len(objects)


def fields(row):
    return {name: value for name, value in row.items() if name != "pk"}
