"""The records in the readers' languages (django-modeltranslation).

A record is written in English, in its plain column (`title`), which stays
what everything else reads: slugs, the search document, downloads, imports,
uniqueness and the bulk writer. Each translated field gains one column per
other language of the site (`title_ru`, `title_hy`, ...), empty (NULL) until
the newsroom writes the translation. The columns are on the record's own row,
so showing a translation costs no query, whatever the number of languages.

modeltranslation also offers to make `title` itself read and write the
active language's column: it rewrites every manager's lookups
(`filter(title=...)` becomes `title_ru` on a Russian page), the model's
constructor and its unique constraints. The project's queries, constraints
and raw writes mean the plain column, so the models are registered for their
columns only (`_register_columns_only`), and the public pages ask for a
translation by name (tracker.models.translated.in_language), which also says
when they fall back to the original, for the marker readers see.
"""

from contextlib import contextmanager

from django.db.models.signals import post_init
from modeltranslation import translator as mt
from modeltranslation.translator import TranslationOptions, translator

from .models import Actor, Conflict, Correction, Event, MediaItem, Phase, Place
from .models.translated import LANGUAGES, column


class _Translated(TranslationOptions):
    # An empty translation is stored as NULL: "not translated", never "".
    empty_values = None


class ConflictTranslation(_Translated):
    fields = ("name", "summary", "introduction", "methodology")


class EventTranslation(_Translated):
    fields = ("title", "summary")


class NameTranslation(_Translated):
    # An actor's name is unique in each language as in the original, which
    # NULL, "not translated", never breaks.
    fields = ("name",)


class NoteTranslation(_Translated):
    fields = ("note",)


class CaptionTranslation(_Translated):
    fields = ("caption",)


# The patches that make the plain field follow the active language; what
# stays is the columns themselves.
_LANGUAGE_FOLLOWING_PATCHES = (
    "add_manager",
    "patch_constructor",
    "patch_constraints",
    "patch_indexes",
    "patch_clean_fields",
    "patch_get_deferred_fields",
    "patch_refresh_from_db",
)


@contextmanager
def _without_language_following():
    kept = {name: getattr(mt, name) for name in _LANGUAGE_FOLLOWING_PATCHES}
    try:
        for name in kept:
            setattr(mt, name, lambda *args, **kwargs: None)
        yield
    finally:
        for name, patch in kept.items():
            setattr(mt, name, patch)


def _register_columns_only(model, options):
    with _without_language_following():
        translator.register(model, options)
    # The plain field reads and writes its own column again, and instances
    # are made without modeltranslation's bookkeeping.
    for name in options.fields:
        field = model._meta.get_field(name)
        setattr(model, name, field.descriptor_class(field))
    post_init.disconnect(mt.delete_mt_init, sender=model)


def translated_fields(model):
    """The names of `model`'s fields the newsroom may translate (none, for a
    model that has no translations)."""
    if model not in translator.get_registered_models():
        return []
    return list(translator.get_options_for_model(model).fields)


def translation_columns(model, language=None, *, by_language=False):
    """The translation columns of `model`, of one language or of all; of all,
    field by field, or language by language (`by_language`)."""
    languages = [language] if language else LANGUAGES
    fields = translated_fields(model)
    if by_language:
        return [column(name, code) for code in languages for name in fields]
    return [column(name, code) for name in fields for code in languages]


def _register_with_history(model, options):
    """`model` and its audit history, which keeps the translations with the
    rest of each version and compares them between versions: the history
    model listed the fields it compares (tracked_fields) before these were
    added."""
    _register_columns_only(model, options)
    history = model.history.model
    _register_columns_only(history, options)
    history.tracked_fields = [
        *history.tracked_fields,
        *(model._meta.get_field(name) for name in translation_columns(model)),
    ]


_register_columns_only(Conflict, ConflictTranslation)
_register_with_history(Event, EventTranslation)
_register_columns_only(Actor, NameTranslation)
_register_columns_only(Place, NameTranslation)
_register_columns_only(Phase, NameTranslation)
_register_columns_only(Correction, NoteTranslation)
_register_with_history(MediaItem, CaptionTranslation)
