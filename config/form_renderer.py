"""The form renderer (settings.FORM_RENDERER): Django's own, except that the
templates a form draws most, a select with its options, an input, a
textarea, and the admin's links beside a box that names a record, are
written here in Python, giving the same HTML byte for byte.

Why: the change form of an event with fifty figures draws some 1,300
widgets. Through the templates, each select includes one template per
option and each element one more for its attributes: 7,700 template renders
a page, half of its time. Written here, a widget costs about what building
its context costs.

A template is written here only where the one the renderer would use is
Django's own file (an app may override the admin's); and a context the
writer does not know, such as a select whose options have a template of
their own, is drawn by the template. tests/test_form_renderer.py compares
each with Django's templates.
"""

import html
import os
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.templatetags.static import static
from django.utils.functional import Promise
from django.utils.safestring import SafeData
from django.utils.translation import gettext

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


# The related-record links beside a box of the admin, in the template's order.
RELATED_LINKS = (
    (
        "can_change_related",
        '<a class="related-widget-wrapper-link change-related" id="change_id_{name}"\n'
        '            data-href-template="{change_related_template_url}?{url_params}"\n'
        '            data-popup="yes"\n'
        '            title="{title}"><img src="{icon}" alt="" width="24" height="24"></a>',
        "Change selected %(model)s",
        "admin/img/icon-changelink.svg",
    ),
    (
        "can_add_related",
        '<a class="related-widget-wrapper-link add-related" id="add_id_{name}"\n'
        '            data-popup="yes"\n'
        '            href="{add_related_url}?{url_params}"\n'
        '            title="{title}"><img src="{icon}" alt="" width="24" height="24"></a>',
        "Add another %(model)s",
        "admin/img/icon-addlink.svg",
    ),
    (
        "can_delete_related",
        '<a class="related-widget-wrapper-link delete-related" id="delete_id_{name}"\n'
        '            data-href-template="{delete_related_template_url}?{url_params}"\n'
        '            data-popup="yes"\n'
        '            title="{title}"><img src="{icon}" alt="" width="24" height="24"></a>',
        "Delete selected %(model)s",
        "admin/img/icon-deletelink.svg",
    ),
    (
        "can_view_related",
        '<a class="related-widget-wrapper-link view-related" id="view_id_{name}"\n'
        '             data-href-template="{change_related_template_url}?'
        '{view_related_url_params}"\n'
        '             title="{title}"><img src="{icon}" alt="" width="24" height="24"></a>',
        "View selected %(model)s",
        "admin/img/icon-viewlink.svg",
    ),
)
URL_KEYS = (
    "change_related_template_url",
    "add_related_url",
    "delete_related_template_url",
    "url_params",
    "view_related_url_params",
)


def write_related_widget_wrapper(context):
    """admin/widgets/related_widget_wrapper.html: the box, then the links to
    change, add, delete and view its record (the template's spaceless block
    leaves no white space between them)."""
    links = ""
    if not context.get("is_hidden"):
        cells = {key: _text(context.get(key, "")) for key in URL_KEYS}
        cells["name"] = _text(context.get("name", ""))
        model = {"model": _text(context.get("model", ""))}
        links = "".join(
            link.format(**cells, title=gettext(title) % model, icon=html.escape(static(icon)))
            for permission, link, title, icon in RELATED_LINKS
            if context.get(permission)
        )
    model_ref = (
        ""
        if context.get("model_has_limit_choices_to")
        else f'data-model-ref="{_text(context.get("model_name", ""))}"'
    )
    return (
        f'\n<div class="related-widget-wrapper" {model_ref}>\n'
        f"    {_text(context.get('rendered_widget', ''))}\n"
        f"    \n        {links}\n    \n</div>\n"
    )


def _included(write):
    """A template that is `{% include "…" %}` and a line end."""
    return lambda widget: write(widget) + "\n"


def _of_widget(write):
    """A writer of the context's widget, or None for a context without one."""

    def write_context(context):
        widget = context.get("widget")
        return write(widget) if isinstance(widget, dict) else None

    return write_context


INPUT_TYPES = (
    "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
    "checkbox", "search", "tel", "color",
)  # fmt: skip

# Each of Django's templates written here, by name, as a function of the
# template's context that gives None where the template must draw it. The
# input types' templates are each one line that includes input.html
# (checked by the tests).
WRITERS = {
    WIDGETS + "input.html": _of_widget(write_input),
    **{f"{WIDGETS}{name}.html": _of_widget(_included(write_input)) for name in INPUT_TYPES},
    WIDGETS + "textarea.html": _of_widget(write_textarea),
    WIDGETS + "select.html": _of_widget(write_select),
    "admin/widgets/related_widget_wrapper.html": write_related_widget_wrapper,
}
DJANGO_TEMPLATES = str(Path(django.__file__).parent) + os.sep


class WrittenTemplate:
    """A template written in Python, with the real one to fall back on."""

    def __init__(self, write, template):
        self.write = write
        self.template = template

    def render(self, context=None, request=None):
        written = self.write(context or {})
        return self.template.render(context, request) if written is None else written


class WidgetRenderer(DjangoTemplates):
    """Django's renderer, with the templates of WRITERS written in Python
    where the template it finds is Django's own file."""

    def __init__(self):
        self.templates = {}

    def get_template(self, template_name):
        if (write := WRITERS.get(template_name)) is None:
            return super().get_template(template_name)
        if template_name not in self.templates:
            template = super().get_template(template_name)
            if template.origin.name.startswith(DJANGO_TEMPLATES):
                template = WrittenTemplate(write, template)
            self.templates[template_name] = template
        return self.templates[template_name]
