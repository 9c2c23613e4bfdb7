from django.core.management.base import BaseCommand, CommandError

from tracker.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an empty, migrated "
        "database, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as archive:
                counts = import_archive(archive.read())
        except (OSError, ArchiveError) as error:
            raise CommandError(str(error)) from None
        files = counts.pop("files", 0)
        total = sum(counts.values())
        self.stdout.write(f"Restored {total} rows and {files} media files from {path}:")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
