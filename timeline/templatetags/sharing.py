"""Tags for the ways to take a timeline elsewhere: feeds, downloads, embeds."""

from django import template
from django.urls import reverse

from timeline.published import filter_params

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, view_name, *args):
    """The full address of a view, with scheme and host, as another site needs it."""
    return context["request"].build_absolute_uri(reverse(view_name, args=args))


@register.simple_tag(takes_context=True)
def filter_query(context):
    """'?kind=ceasefire&key=true': the current page's filters, without its
    position or order, for a feed, download or embed of the same view."""
    params = filter_params(context["request"].GET)
    return f"?{params.urlencode()}" if params else ""
