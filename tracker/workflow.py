"""The newsroom's workflow: the statuses an event moves through, who may move
it, who may change what readers see, when figures are frozen, and the roles
(groups and their permissions) that `manage.py setup_roles` creates.

Models keep thin methods that ask this module (Event.can_move,
Event.figures_are_frozen, ...); the admin, imports and bulk moves go through
those methods, so that each rule is written once."""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where an event is in the workflow (Event.Status)."""

    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    RETRACTED = "retracted", _("retracted")


# Worked on in the newsroom, unseen by readers.
IN_THE_NEWSROOM = (Status.DRAFT, Status.IN_REVIEW)
# Facing readers, or once facing them: imports leave these events alone.
PUBLIC = (Status.PUBLISHED, Status.RETRACTED)

PUBLISH = "tracker.publish_event"
RETRACT = "tracker.retract_event"
# Event.Meta.permissions: what the workflow adds to Django's own.
EVENT_PERMISSIONS = [
    ("publish_event", "Can publish events, unpublish them and edit published ones"),
    ("retract_event", "Can retract events"),
]


def may_publish(user):
    return user.has_perm(PUBLISH)


def may_retract(user):
    return user.has_perm(RETRACT)


def may_change_event(user, status):
    """Drafts and events in review are anyone's in the newsroom to work on;
    what the public sees is changed only by those who may publish."""
    return status in IN_THE_NEWSROOM or may_publish(user)


def may_move(user, current, status):
    """Whether the user may move an event from `current` to `status`:
    reporters move drafts into review and back; publishing, unpublishing
    and reopening a retracted event take tracker.publish_event, retracting
    takes tracker.retract_event."""
    if status == current:
        return True
    if status == Status.RETRACTED:
        return may_retract(user)
    if status == Status.PUBLISHED or current in PUBLIC:
        return may_publish(user)
    return user.has_perm("tracker.change_event")


def may_change_shown(user, shown_on_published_events):
    """Anyone in the newsroom may change an actor, place or source that only
    drafts use; what a published event shows changes only by those who may
    publish. `shown_on_published_events` is asked only when needed."""
    return may_publish(user) or not shown_on_published_events()


RETRACTION_UNEXPLAINED = _("Say publicly why the event is retracted.")


def lacks_retraction_note(status, retraction_note):
    """A retraction is explained to readers: a retracted event needs a note."""
    return status == Status.RETRACTED and not (retraction_note or "").strip()


def figures_are_frozen(status, published_at):
    """Figures readers have seen change only in the event's own form, with a
    public correction note: on their own admin page and in imports they are
    read-only. A story spiked before publication has none."""
    return status == Status.PUBLISHED or (status == Status.RETRACTED and published_at is not None)


def frozen_figures():
    """figures_are_frozen as a filter on events."""
    return Q(status=Status.PUBLISHED) | Q(status=Status.RETRACTED, published_at__isnull=False)


# Reporters draft: they work on events and everything an event is made of,
# and add the actors, places and sources they need. Whether they may touch a
# given event depends on its status (may_change_event, may_move); an actor,
# place or source, on whether a published event shows it (may_change_shown).
REPORTER = {
    "event": ["add", "change", "view"],
    "figureclaim": ["add", "change", "delete", "view"],
    "citation": ["add", "change", "delete", "view"],
    "participant": ["add", "change", "delete", "view"],
    "eventlink": ["add", "change", "delete", "view"],
    "mediaitem": ["add", "change", "delete", "view"],
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


def set_up_roles():
    """Create each role's group, or bring it back to its permissions.
    Returns (name, created, number of permissions) for each role."""
    done = []
    for name, spec in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        permissions = permissions_for(spec)
        group.permissions.set(permissions)
        done.append((name, created, len(permissions)))
    return done
