"""The form renderer writes the most drawn widget templates in Python: each
gives, byte for byte, what Django's own templates give."""

import copy
import datetime
import re

import pytest
from django import forms
from django.contrib.admin import site
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from config.form_renderer import INPUT_TYPES, WIDGETS, WidgetRenderer
from tests.factories import CitationFactory, ClaimFactory, EventFactory, ParticipantFactory
from tracker.admin.base import PreloadedAutocompleteSelect
from tracker.models import FigureClaim

STOCK = DjangoTemplates()
WRITTEN = WidgetRenderer()


def both(widget, name="field", value=None, attrs=None):
    """The widget drawn by Django's templates and by the renderer."""
    return (
        widget.render(name, value, attrs, renderer=STOCK),
        widget.render(name, value, attrs, renderer=WRITTEN),
    )


def assert_same(widget, name="field", value=None, attrs=None):
    stock, written = both(widget, name, value, attrs)
    assert written == stock
    return written


TRICKY = "<b>\"Tom\" & 'Jerry'</b>"
CHOICES = [
    ("", "---------"),
    ("killed", "killed"),
    ("a&b", TRICKY),
    ("lazy", gettext_lazy("civilians")),
    ("safe", mark_safe("<i>safe</i>")),
    (3, 3),
    ("Region", [("north", "north <side>"), ("south", "south")]),
]


def test_a_select_gives_what_the_templates_give_with_its_choice_selected():
    html = assert_same(forms.Select(choices=CHOICES), value="north")
    assert '<option value="north" selected>north &lt;side&gt;</option>' in html
    assert '<optgroup label="Region">' in html


def test_a_select_escapes_its_labels_and_values_as_the_templates_do():
    html = assert_same(forms.Select(choices=CHOICES), value="a&b")
    assert '<option value="a&amp;b" selected>&lt;b&gt;&quot;Tom&quot;' in html
    assert "<i>safe</i>" in html


def test_a_select_writes_true_attributes_by_name_and_leaves_false_ones_out():
    attrs = {"id": "id_field", "aria-describedby": "help", "required": True, "disabled": False}
    html = assert_same(forms.Select(choices=CHOICES, attrs={"data-n": 0}), attrs=attrs)
    assert html.startswith(
        '<select name="field" data-n="0" id="id_field" aria-describedby="help" required>'
    )
    assert "disabled" not in html


def test_a_multiple_select_gives_what_the_templates_give():
    html = assert_same(forms.SelectMultiple(choices=CHOICES), value=["killed", "south"])
    assert " multiple" in html


def test_a_yes_no_select_gives_what_the_templates_give():
    for value in (None, True, False):
        assert_same(forms.NullBooleanSelect(), value=value)


def test_a_select_whose_options_have_their_own_template_is_drawn_by_it():
    class MarkedOption(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    assert_same(MarkedOption(choices=CHOICES), value="killed")


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.TextInput(attrs={"size": 10}), TRICKY),
        (forms.TextInput(), None),
        (forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}), 0),
        (forms.HiddenInput(), 7),
        (forms.EmailInput(), "a@example.org"),
        (forms.URLInput(), "https://example.org/?a=1&b=2"),
        (forms.PasswordInput(render_value=True), "secret"),
        (forms.DateInput(), datetime.date(2023, 9, 20)),
        (forms.TimeInput(), datetime.time(13, 5)),
        (forms.DateTimeInput(), datetime.datetime(2023, 9, 20, 13, 5)),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.Textarea(attrs={"rows": 3}), TRICKY),
        (forms.Textarea(), ""),
        (forms.Textarea(), mark_safe("<p>kept</p>")),
    ],
)
def test_an_input_or_textarea_gives_what_the_templates_give(widget, value):
    assert_same(widget, value=value, attrs={"id": "id_field", "aria-describedby": "field-help"})


@given(
    label=st.text(max_size=20),
    value=st.text(max_size=10),
    attr=st.text(max_size=10),
    group=st.text(max_size=10),
)
def test_any_text_is_escaped_as_the_templates_escape_it(label, value, attr, group):
    select = forms.Select(choices=[(value, label), (group or "g", [("x", label)])])
    assert_same(select, value=value, attrs={"title": attr})
    assert_same(forms.TextInput(), value=value, attrs={"title": attr})
    assert_same(forms.Textarea(), value=label)


def test_each_input_template_written_here_is_one_line_that_includes_input_html():
    for input_type in INPUT_TYPES:
        source = STOCK.get_template(f"{WIDGETS}{input_type}.html").template.source
        assert source == '{% include "django/forms/widgets/input.html" %}\n', input_type


@pytest.mark.django_db
def test_an_autocomplete_box_gives_what_the_templates_give():
    field = FigureClaim._meta.get_field("claimant")
    widget = PreloadedAutocompleteSelect(field, site)
    widget.choices = forms.ModelChoiceField(field.related_model.objects.all()).choices
    widget.labels = {"5": "Ministry <of> Defence"}
    html = assert_same(widget, "claims-0-claimant", 5, {"aria-describedby": "claims-help-claimant"})
    assert 'data-ajax--url="/admin/autocomplete/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("allowed", [True, False])
@pytest.mark.parametrize("hidden", [False, True])
@pytest.mark.parametrize("limited", [False, True])
def test_the_links_beside_an_admin_box_give_what_the_template_gives(
    language, allowed, hidden, limited
):
    relation = copy.copy(FigureClaim._meta.get_field("claimant").remote_field)
    relation.limit_choices_to = {"kind": "state"} if limited else {}
    inner = forms.HiddenInput() if hidden else forms.Select(choices=[("1", "Ministry")])
    wrapper = RelatedFieldWidgetWrapper(
        inner,
        relation,
        site,
        can_add_related=allowed,
        can_change_related=allowed,
        can_delete_related=allowed,
        can_view_related=not allowed,
    )
    with translation.override(language):
        html = assert_same(wrapper, "claims-0-claimant", "1")
    if allowed and not hidden:
        assert 'id="change_id_claims-0-claimant"' in html
        assert "?_to_field=id&amp;_popup=1" in html
    assert ('data-model-ref="actor"' in html) is not limited


def test_a_template_an_app_overrides_is_drawn_by_the_override(monkeypatch):
    from config import form_renderer

    monkeypatch.setattr(form_renderer, "DJANGO_TEMPLATES", "/elsewhere/")
    renderer = WidgetRenderer()
    template = renderer.get_template(WIDGETS + "select.html")
    assert not isinstance(template, form_renderer.WrittenTemplate)
    select = forms.Select(choices=CHOICES)
    assert select.render("field", "north", renderer=renderer) == select.render(
        "field", "north", renderer=STOCK
    )
    # Found in Django's own folder, the same template is written here. A
    # renderer of its own: one made before keeps what it found first.
    monkeypatch.undo()
    written = WidgetRenderer().get_template(WIDGETS + "select.html")
    assert isinstance(written, form_renderer.WrittenTemplate)


@pytest.mark.django_db
def test_the_event_change_form_is_the_same_page_with_either_renderer(administrator_client):
    event = EventFactory(status="published")
    for _ in range(3):
        ClaimFactory(event=event)
        CitationFactory(event=event)
        ParticipantFactory(event=event)
    url = reverse("admin:tracker_event_change", args=[event.pk])

    def page():
        html = administrator_client.get(url).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    written = page()
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        stock = page()
    assert written == stock
    assert 'name="claims-2-metric"' in written
