import functools

from django import template
from django.utils.translation import get_language

from timeline import languages
from tracker import dates
from tracker.markdown import to_html, to_plain_text
from tracker.models import FigureClaim
from tracker.models.figures import WORDS_WITHOUT_A_NUMBER, reading_of_words

register = template.Library()


@register.filter
def markdown(text):
    """Markdown as safe HTML (tracker.markdown)."""
    return to_html(text)


@register.filter
def plain_text(text):
    """Markdown as the words a reader sees (tracker.markdown)."""
    return to_plain_text(text)


@register.filter
def machine_time(moment, conflict):
    """The same moment for a `<time datetime>`, no more precise than known."""
    if moment is None:
        return ""
    return dates.machine_reported_at(moment, conflict.tz)


@register.filter
def local_time(moment, conflict):
    """A dated figure or source in the conflict's local time."""
    if moment is None:
        return ""
    return dates.format_reported_at(moment, conflict.tz)


@register.simple_tag
def figure_word_readings():
    """How words without a number are read ('hundreds': at least 200), as the
    methodology shows readers."""
    return _word_readings(get_language())


@functools.cache
def _word_readings(language):
    # The same for every page in a language: worked out once per process.
    return tuple(
        (words, FigureClaim(qualifier=qualifier, low=low, best=best).number_text())
        for words, (qualifier, low, best) in (
            (words, reading_of_words(words)) for words, *_rest in WORDS_WITHOUT_A_NUMBER
        )
    )


@register.simple_tag(takes_context=True)
def card(context, event):
    """The card of `event`, as the view rendered or found it
    (timeline.fragments.cards())."""
    return context["cards"][event.pk]


@register.filter
def axis_time(event):
    """The local time an event is placed at on the time axis ('09:30'), or
    '' when it is known only to the day or coarser: no dot at 00:00."""
    if event.precision not in dates.SHOWS_TIME:
        return ""
    return event.starts_at.astimezone(event.conflict.tz).strftime("%H:%M")


@register.simple_tag(takes_context=True)
def page_languages(context):
    """This page in every language (timeline.languages.alternates), for the
    switcher and the hreflang alternates; none on a page that has no other
    language (an error page rendered without its request)."""
    return languages.alternates(context.get("request"))
