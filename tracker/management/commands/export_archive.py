from django.core.management.base import BaseCommand

from tracker.archive import export_archive


class Command(BaseCommand):
    help = (
        "Write the whole record (conflicts, events, figures, sources, corrections, "
        "media with its files, and their history) to one versioned JSON file, or to "
        "standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-", help="The file to write; - for stdout.")

    def handle(self, *args, path, **options):
        text = export_archive()
        if path == "-":
            self.stdout.write(text, ending="")
            return
        with open(path, "w", encoding="utf-8") as archive:
            archive.write(text)
        self.stderr.write(f"Archive written to {path}.")
