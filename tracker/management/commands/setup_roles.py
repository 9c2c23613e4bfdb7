from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

# Reporters draft: they work on events and everything an event is made of,
# and add the actors, places and sources they need. Whether they may touch a
# given event depends on its status (Event.can_be_changed_by, Event.can_move);
# an actor, place or source, on whether a published event shows it
# (ShownByPublishedEvents.can_be_changed_by).
REPORTER = {
    "event": ["add", "change", "view"],
    "figureclaim": ["add", "change", "delete", "view"],
    "citation": ["add", "change", "delete", "view"],
    "participant": ["add", "change", "delete", "view"],
    "eventlink": ["add", "change", "delete", "view"],
    "source": ["add", "change", "view"],
    "actor": ["add", "change", "view"],
    "place": ["add", "change", "view"],
    "conflict": ["view"],
    "phase": ["view"],
    "correction": ["view"],
}

# Editors may do everything the tracker app allows, including publishing and
# retracting; managing staff accounts stays with administrators (superusers).
ROLES = {"Reporter": REPORTER, "Editor": "all"}


def permissions_for(spec):
    tracker = Permission.objects.filter(content_type__app_label="tracker")
    if spec == "all":
        return list(tracker)
    codenames = [f"{action}_{model}" for model, actions in spec.items() for action in actions]
    return list(tracker.filter(codename__in=codenames))


class Command(BaseCommand):
    help = "Create or update the Reporter and Editor groups and their permissions."

    def handle(self, *args, **options):
        for name, spec in ROLES.items():
            group, created = Group.objects.get_or_create(name=name)
            permissions = permissions_for(spec)
            group.permissions.set(permissions)
            if options["verbosity"]:
                verb = "Created" if created else "Updated"
                self.stdout.write(f"{verb} {name} with {len(permissions)} permissions.")
