from django.core.management.base import BaseCommand

from tracker import workflow


class Command(BaseCommand):
    help = "Create or update the Reporter and Editor groups and their permissions."

    def handle(self, *args, **options):
        for name, created, permissions in workflow.set_up_roles():
            if options["verbosity"]:
                verb = "Created" if created else "Updated"
                self.stdout.write(f"{verb} {name} with {permissions} permissions.")
