"""Readable addresses from titles in any script.

A title in Armenian, Russian, Ukrainian, Arabic or Azerbaijani gives a slug
transliterated into Latin letters ("Прекращение огня" → "prekrashchenie-
ognia"), not "event-2": an address a reader can read and a newsroom can say
on air. python-slugify transliterates (with text-unidecode); the few letters
it reads badly for our languages are given first.
"""

import re

from slugify import slugify

# Letters whose general transliteration would drop or garble them.
REPLACEMENTS = [
    # Azerbaijani schwa, otherwise dropped ("atəşkəs" → "at-sk-s").
    ["ə", "e"],
    ["Ə", "E"],
    # Armenian: the digraph for /u/, and the ligature "and".
    ["ու", "u"],
    ["Ու", "U"],
    ["ՈՒ", "U"],
    ["և", "ev"],
]


# What Django's slugify drops rather than turns into a hyphen: punctuation,
# so that "13:00" stays "1300" as in the slugs made before. Letters and
# digits of every script are kept for transliteration.
PUNCTUATION = re.compile(r"[^\w\s-]")


def slug_of(text, max_length=100):
    """A lowercase ASCII slug of `text`, at most `max_length` characters, cut
    at a word boundary; "" when nothing in it can be written in Latin letters
    or digits. An English title gives the slug it always did."""
    return slugify(
        PUNCTUATION.sub("", text or ""),
        max_length=max_length,
        word_boundary=True,
        replacements=REPLACEMENTS,
    )
