"""Safe Markdown: how the record's Markdown fields (summaries, introductions,
methodology notes) become HTML for the pages, the API and the downloads."""

import html
import threading

import markdown as markdown_lib
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4",
}  # fmt: skip


# Building a converter costs more than converting a summary; each thread
# keeps its own, reset before each text (Markdown's documented reuse).
_converters = threading.local()


def _converter():
    if not hasattr(_converters, "markdown"):
        _converters.markdown = markdown_lib.Markdown(output_format="html")
    return _converters.markdown


def to_html(text):
    """Markdown rendered to HTML that can hold no script, style or unsafe link."""
    rendered = _converter().reset().convert(text or "")
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)


def to_plain_text(text):
    """Markdown as the words a reader sees, without markup: for page
    descriptions and other attributes, where the template escapes it."""
    return " ".join(html.unescape(strip_tags(to_html(text))).split())
