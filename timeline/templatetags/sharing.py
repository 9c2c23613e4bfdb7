"""Tags for the ways to take a timeline elsewhere: feeds, downloads, embeds."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, view_name, *args):
    """The full address of a view, with scheme and host, as another site needs it."""
    return context["request"].build_absolute_uri(reverse(view_name, args=args))


@register.simple_tag(takes_context=True)
def absolute_media_url(context, file):
    """The full address of a stored file (a photo's size), as a social card
    needs it: the media store's own when it has one, else on our host."""
    return context["request"].build_absolute_uri(file.url)
