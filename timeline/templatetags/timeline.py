import functools

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from timeline import languages
from tracker import dates
from tracker.markdown import to_html, to_plain_text
from tracker.models import FigureClaim
from tracker.models.figures import WORDS_WITHOUT_A_NUMBER, reading_of_words
from tracker.models.translated import in_language

register = template.Library()


@register.filter
def markdown(text):
    """Markdown as safe HTML (tracker.markdown)."""
    return to_html(text)


@register.filter
def plain_text(text):
    """Markdown as the words a reader sees (tracker.markdown)."""
    return to_plain_text(text)


def _in_original_marker():
    # In the reader's language, outside the original's lang span.
    return format_html(' <span class="in-original">{}</span>', _("(in English)"))


@register.filter
def translated(record, name):
    """`record`'s field `name` in the page's language; the original, marked
    with its language and "(in English)", where it is not translated. Its
    own direction (dir="auto"): an English title on an Arabic page keeps
    its words in order ("2020 ceasefire agreement", not "ceasefire
    agreement 2020")."""
    if record is None:
        return ""
    text = in_language(record, name)
    if not text or not text.in_original:
        return str(text)
    return format_html(
        '<span lang="{}" dir="auto">{}</span>{}', text.language, text, _in_original_marker()
    )


@register.filter
def translated_text(record, name):
    """The same as plain text, for attributes and the page's <title>."""
    return "" if record is None else str(in_language(record, name))


@register.filter
def translated_markdown(record, name):
    """`record`'s Markdown field `name` in the page's language as safe HTML;
    the original in a block marked with its language where not translated."""
    text = in_language(record, name)
    if not text or not text.in_original:
        return to_html(str(text))
    return format_html(
        '<div lang="{}" dir="auto">{}</div>{}',
        text.language,
        to_html(str(text)),
        _in_original_marker(),
    )


@register.filter
def place_name(place):
    """A place as readers see it: its name in their language, and its country."""
    if place is None:
        return ""
    name = translated(place, "name")
    return format_html("{}, {}", name, place.country_code) if place.country_code else name


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
