"""Keeps each event's stored dispute flag (Event.has_disputed_figures) in
step with everything the dispute rule reads: the event's claims, whether a
claimant is the newsroom, the conflict's time zone (a running total's day)
and the event's conflict.

Claims saved or deleted one at a time (the admin, merges, scripts) are heard
of here through Django's signals; writes that go around save() refresh the
events they touch themselves (imports, generate_bulk) with
EventQuerySet.refresh_disputed.
"""

from django.db.models.signals import post_delete, post_save

from tracker.models import Actor, Conflict, Event, FigureClaim


def claim_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    Event.objects.filter(pk__in={instance.event_id, instance.loaded("event_id")}).refresh_disputed()


def claim_deleted(sender, instance, origin=None, **kwargs):
    # The event itself going: nothing left to flag.
    if isinstance(origin, Event) or getattr(origin, "model", None) is Event:
        return
    Event.objects.filter(pk=instance.event_id).refresh_disputed()


def event_saved(sender, instance, created, raw=False, **kwargs):
    # Moved to another conflict: its running totals' days are read in another zone.
    if not (created or raw) and instance.conflict_id != instance.loaded("conflict_id"):
        Event.objects.filter(pk=instance.pk).refresh_disputed()


def actor_saved(sender, instance, created, raw=False, **kwargs):
    # The newsroom's own figures are never one side of a dispute.
    if not (created or raw) and instance.is_newsroom != instance.loaded("is_newsroom"):
        claims = FigureClaim.objects.filter(claimant=instance)
        Event.objects.filter(pk__in=claims.values("event_id")).refresh_disputed()


def conflict_saved(sender, instance, created, raw=False, **kwargs):
    # Running totals are compared by the local day they were stated on.
    if not (created or raw) and instance.timezone != instance.loaded("timezone"):
        running = FigureClaim.objects.filter(scope=FigureClaim.Scope.RUNNING_TOTAL)
        Event.objects.filter(
            conflict=instance, pk__in=running.values("event_id")
        ).refresh_disputed()


def connect():
    post_save.connect(claim_saved, sender=FigureClaim, dispatch_uid="disputes-claim-saved")
    post_delete.connect(claim_deleted, sender=FigureClaim, dispatch_uid="disputes-claim-deleted")
    post_save.connect(event_saved, sender=Event, dispatch_uid="disputes-event-saved")
    post_save.connect(actor_saved, sender=Actor, dispatch_uid="disputes-actor-saved")
    post_save.connect(conflict_saved, sender=Conflict, dispatch_uid="disputes-conflict-saved")
