"""The fields of a line of a figure in the event's form (the compact claims
inline, templates/admin/tracker/event/claims_inline.html), each labelled
above its box, written in Python: fifty figures draw a thousand fields,
and the template's tags for each cost more than the field."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

register = template.Library()

REQUIRED = mark_safe(' class="required"')


@register.simple_tag
def claim_fields(line):
    """The fields of one line (an admin Fieldline): a hidden one as its
    input alone, a box to tick before its label, any other after its label,
    each with its errors only when it has some; shown read-only, each value
    under its label."""
    return mark_safe("".join(map(_claim_field, line)))


def _claim_field(admin_field):
    if admin_field.is_readonly:
        field = admin_field.field
        if field["is_hidden"]:
            return ""
        return format_html(
            '\n    <div class="claim-field field-{}"><label>{}</label>'
            '<div class="readonly">{}</div></div>',
            field["name"],
            capfirst(field["label"]),
            admin_field.contents(),
        )
    field = admin_field.field
    if field.is_hidden:
        return str(field)
    errors = field.errors
    has_errors = " errors" if errors else ""
    if admin_field.is_checkbox:
        return format_html(
            '\n    <div class="claim-field checkbox-row field-{}{}">{}{}'
            '<label for="{}" class="vCheckboxLabel">{}</label></div>',
            field.name,
            has_errors,
            errors if errors else "",
            field,
            field.id_for_label,
            field.label,
        )
    return format_html(
        '\n    <div class="claim-field field-{}{}">{}<label for="{}"{}>{}</label>{}</div>',
        field.name,
        has_errors,
        errors if errors else "",
        field.id_for_label,
        REQUIRED if field.field.required else "",
        field.label,
        field,
    )
