"""Choice labels, translated once per language rather than on every call.

Django's get_FOO_display() builds a dictionary of every choice of the field,
translating each label, each time it is called: a timeline page called it
hundreds of times. The labels of a field in a language do not change while
the process runs, so each field's are kept per language.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_labels = {}


def choice_labels(field):
    """{value: label} of `field`'s choices in the active language."""
    key = (field, get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
        _labels[key] = labels
    return labels


class ChoiceLabels:
    """For models: get_FOO_display() reads choice_labels()."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return choice_labels(field).get(make_hashable(value), force_str(value, strings_only=True))
