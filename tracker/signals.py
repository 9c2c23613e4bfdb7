"""Signals of the record's own.

`changed_in_bulk` is sent, inside the transaction, after a write that goes
around save() (bulk status moves, imports), which Django's post_save never
hears of: `event_ids` are the events whose pages it changed, or None when it
changed records every conflict shares (actors, places, sources).
"""

from django.dispatch import Signal

changed_in_bulk = Signal()
