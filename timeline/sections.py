"""How a page of events is laid out: under the conflict's phases, by local day."""

from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class Day:
    heading: str
    events: list = field(default_factory=list)


@dataclass
class Section:
    phase: object  # a Phase, or None for events outside every phase
    days: list = field(default_factory=list)


def sections(events, phases, tz):
    """Group events, already in time order, into consecutive sections by the
    phase their local date falls in, and within each into days."""
    result = []
    for event in events:
        local_date = timezone.localtime(event.starts_at, tz).date()
        phase = next((phase for phase in phases if phase.contains(local_date)), None)
        if not result or result[-1].phase != phase:
            result.append(Section(phase))
        days = result[-1].days
        if not days or days[-1].heading != event.local_day:
            days.append(Day(event.local_day))
        days[-1].events.append(event)
    return result
