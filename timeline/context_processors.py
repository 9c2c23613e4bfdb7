from django.utils.functional import SimpleLazyObject, lazy

from tracker import newsroom as the_newsroom

from . import look as the_look


def newsroom(request):
    """The newsroom's name and look on every page, read only by a page that
    shows them (the admin's pages do not)."""
    return {
        "newsroom_name": lazy(the_newsroom.name, str)(),
        "look": SimpleLazyObject(the_look.current),
    }
