"""The newsroom that keeps the record, as readers and feeds name it."""

from django.conf import settings


def name():
    """The newsroom's name (NEWSROOM_NAME), read when asked so that a change
    to the settings shows at once."""
    return settings.NEWSROOM_NAME
