"""Choice labels, translated once per field and language (tracker.models.labels)."""

from unittest import mock

from django.utils import translation

from tracker.models import Event, Participant
from tracker.models.labels import choice_labels


def test_a_choice_reads_as_its_label():
    assert Event(kind=Event.Kind.STRIKE).get_kind_display() == "strike"
    assert Participant(role=Participant.Role.MEDIATOR).get_role_display() == "mediator"


def test_a_value_outside_the_choices_reads_as_itself():
    assert Event(kind="parade").get_kind_display() == "parade"


def test_labels_are_translated_once_per_language_not_per_call():
    field = Event._meta.get_field("kind")
    with translation.override("fr"):
        choice_labels(field)
        translation.gettext("")  # translation._trans keeps what it first hands out
        with mock.patch.object(translation._trans, "gettext") as gettext:
            for _ in range(10):
                assert Event(kind=Event.Kind.STRIKE).get_kind_display() == "strike"
    assert not gettext.called


def test_each_language_has_its_own_labels():
    field = Event._meta.get_field("kind")
    with translation.override("fr"):
        french = choice_labels(field)
    with translation.override("de"):
        german = choice_labels(field)
    assert french is not german
