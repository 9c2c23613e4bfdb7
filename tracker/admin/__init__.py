"""The newsroom: where reporters and editors enter and curate the record.

Times in an event's form are entered and shown in the conflict's own time
zone, because that is the time the sources give.
"""

from . import events, look, records  # noqa: F401  (they register the admin pages)
