import html

import markdown as markdown_lib
import nh3
from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from tracker import dates
from tracker.models import FigureClaim
from tracker.models.figures import WORDS_WITHOUT_A_NUMBER, reading_of_words

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4",
}  # fmt: skip


@register.filter
def markdown(text):
    """Markdown rendered to HTML that can hold no script, style or unsafe link."""
    html = markdown_lib.markdown(text or "", output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)


@register.filter
def plain_text(text):
    """Markdown as the words a reader sees, without markup: for page
    descriptions and other attributes, where the template escapes it."""
    return " ".join(html.unescape(strip_tags(markdown(text))).split())


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
    return [
        (words, FigureClaim(qualifier=qualifier, low=low, best=best).number_text())
        for words, (qualifier, low, best) in (
            (words, reading_of_words(words)) for words, *_rest in WORDS_WITHOUT_A_NUMBER
        )
    ]
