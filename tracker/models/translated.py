"""A record's text in the reader's language, or in its original.

The translations' columns are made in tracker/translation.py; this is how
they are read, by the public pages and by the models' own descriptions."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

# The records are written in the site's first language.
ORIGINAL_LANGUAGE = settings.LANGUAGE_CODE
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != ORIGINAL_LANGUAGE]


def column(name, language):
    """The column of `name`'s translation into `language`."""
    return f"{name}_{language}"


@dataclass(frozen=True)
class Text:
    """A record's text as a reader of `requested` sees it: in `language`,
    which is the original's when it is not translated into `requested`."""

    text: str
    language: str
    requested: str

    @property
    def in_original(self):
        """Shown in the original for want of a translation (to be marked)."""
        return self.language != self.requested

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


def in_language(record, name, language=None):
    """`record`'s field `name` in `language` (the active one by default),
    or the original when the newsroom has not translated it."""
    language = (language or get_language() or ORIGINAL_LANGUAGE).split("-")[0]
    if language != ORIGINAL_LANGUAGE:
        translation = getattr(record, column(name, language), None)
        if translation:
            return Text(translation, language, language)
    return Text(getattr(record, name) or "", ORIGINAL_LANGUAGE, language)
