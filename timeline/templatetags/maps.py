from django import template

from timeline.maps import locator_of

register = template.Library()


@register.simple_tag
def locator(place):
    """The small map locating `place` (timeline.maps.Locator), or None."""
    return locator_of(place)
