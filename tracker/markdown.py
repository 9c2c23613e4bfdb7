"""Safe Markdown: how the record's Markdown fields (summaries, introductions,
methodology notes) become HTML for the pages, the API and the downloads."""

import html

import markdown as markdown_lib
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4",
}  # fmt: skip


def to_html(text):
    """Markdown rendered to HTML that can hold no script, style or unsafe link."""
    rendered = markdown_lib.markdown(text or "", output_format="html")
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
