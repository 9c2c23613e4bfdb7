from .events import Citation, Correction, Event, EventInReview, EventLink, Participant
from .figures import FigureClaim
from .look import NewsroomLook
from .media import MediaItem
from .records import Actor, Conflict, Phase, Place, Source

__all__ = [
    "Actor",
    "Citation",
    "Conflict",
    "Correction",
    "Event",
    "EventInReview",
    "EventLink",
    "FigureClaim",
    "MediaItem",
    "NewsroomLook",
    "Participant",
    "Phase",
    "Place",
    "Source",
]
