"""The form renderer (settings.FORM_RENDERER): Django's own, except that the
widget templates a form draws most, a select with its options, an input and
a textarea, are written here in Python, giving the same HTML byte for byte.

Why: the change form of an event with fifty figures draws some 1,300
widgets. Through the templates, each select includes one template per
option and each element one more for its attributes: 7,700 template renders
a page, half of its time. Written here, a widget costs about what building
its context costs.

Only Django's stock templates are replaced, under their own names, which
the default renderer finds in django/forms/templates before any app's (so
no app overrides them there). A widget with a template of its own, or a
select whose options have one, is drawn by the templates as before.
tests/test_form_renderer.py compares each with Django's templates.
"""

import html
from functools import partial

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import Promise
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = WIDGETS + "select_option.html"

# What a template's {{ value }} does to a value: local formats, then escaped.
_TEMPLATE_CONTEXT = Context(autoescape=True)


def _text(value):
    """{{ value }}: what the template engine does, made quick for text,
    which a lazy translation becomes first."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, SafeData):
        return value
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _TEMPLATE_CONTEXT)


def _formatted(value):
    """{{ value|stringformat:'s' }}: the value's str, escaped unless the
    value is safe already."""
    text = str(value)
    return text if isinstance(value, SafeData) else html.escape(text)


def _attrs(attrs):
    """attrs.html: a True attribute by its name alone, a False one left out."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def write_input(widget):
    """input.html, which text.html, number.html, hidden.html and the other
    input types include."""
    value = widget.get("value")
    value = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget.get("type", ""))}" name="{_text(widget.get("name", ""))}"'
        f"{value}{_attrs(widget.get('attrs', {}))}>\n"
    )


def write_textarea(widget):
    value = widget.get("value")
    return (
        f'<textarea name="{_text(widget.get("name", ""))}"{_attrs(widget.get("attrs", {}))}>\n'
        f"{_text(value) if value else ''}</textarea>\n"
    )


def write_select(widget):
    """select.html with each option's select_option.html written in place;
    None when an option has a template of its own."""
    parts = [f'<select name="{_text(widget.get("name", ""))}"{_attrs(widget.get("attrs", {}))}>']
    for group_name, options, _index in widget.get("optgroups", ()):
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option.get("template_name") != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option.get("value", ""))}"'
                f"{_attrs(option.get('attrs', {}))}>{_text(option.get('label', ''))}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _included(write):
    """A template that is `{% include "…" %}` and a line end."""
    return lambda widget: write(widget) + "\n"


# Each stock template written here, by name. Those of the input types are
# each one line that includes input.html (checked by the tests).
WRITERS = {
    WIDGETS + "input.html": write_input,
    **{
        f"{WIDGETS}{name}.html": _included(write_input)
        for name in (
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "checkbox",
            "search",
            "tel",
            "color",
        )
    },
    WIDGETS + "textarea.html": write_textarea,
    WIDGETS + "select.html": write_select,
}


class WrittenTemplate:
    """A widget template written in Python, with the real template to fall
    back on for a context it does not know."""

    def __init__(self, write, load_template):
        self.write = write
        self.load_template = load_template

    def render(self, context=None, request=None):
        widget = (context or {}).get("widget")
        written = self.write(widget) if isinstance(widget, dict) else None
        if written is None:
            return self.load_template().render(context, request)
        return written


class WidgetRenderer(DjangoTemplates):
    def get_template(self, template_name):
        if write := WRITERS.get(template_name):
            return WrittenTemplate(write, partial(super().get_template, template_name))
        return super().get_template(template_name)
