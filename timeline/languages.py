"""The public site's languages: which one a request is read in, and the
same page in the others.

The language is in the address and nowhere else: English at the addresses
other sites already link to (/conflicts/<c>/), every other language under
its prefix (/ru/conflicts/<c>/). No cookie, session or Accept-Language
header chooses it, so that a page's address alone says what it shows: the
page cache, a shared cache in front and a reader's bookmark all agree. The
API and the downloads also take `?lang=` (a file's address is often typed
or scripted); the admin follows the staff member's browser.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from .requests import ADMIN_PREFIX

API_PREFIX = "/api/"
# Files a script or a spreadsheet fetches by address, where `?lang=` is
# easier to add than a prefix.
FILE_SUFFIXES = (".csv", ".json")


def codes():
    return [code for code, _name in settings.LANGUAGES]


def of_path(path):
    """The language a public address is in: its prefix, else English."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def takes_lang_parameter(path):
    return path.startswith(API_PREFIX) or path.endswith(FILE_SUFFIXES)


def of_request(request):
    """The language `request` is answered in, or None when it asks by
    `?lang=` for one we do not have."""
    path = request.path_info
    if path.startswith(ADMIN_PREFIX):
        # Staff: their browser's language (the admin is never cached).
        return translation.get_language_from_request(request)
    if takes_lang_parameter(path) and "lang" in request.GET:
        asked = request.GET["lang"]
        return asked if asked in codes() else None
    return of_address(path)


def of_address(path):
    """The language an address is resolved in: its prefix's, else English
    (the admin and the API have no prefix)."""
    if path.startswith(ADMIN_PREFIX) or path.startswith(API_PREFIX):
        return settings.LANGUAGE_CODE
    return of_path(path)


def unknown_language(request):
    message = translation.gettext("Unknown language: use one of %(codes)s.") % {
        "codes": ", ".join(codes())
    }
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "languages": codes()}, status=400)
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


def alternates(request):
    """The page `request` shows, in every language: [{code, name, url,
    current}], in settings.LANGUAGES order; [] where the address is not a
    public page (an unknown address, the admin)."""
    if request is None:
        return []
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    if "timeline" not in match.namespaces:
        return []
    current = translation.get_language()
    query = request.META.get("QUERY_STRING", "")
    names = dict(settings.LANGUAGES)  # each in its own language
    found = []
    for code in codes():
        with translation.override(code):
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        found.append(
            {
                "code": code,
                "name": names[code],
                "url": path + (f"?{query}" if query else ""),
                "absolute_url": request.build_absolute_uri(path),
                "current": code == current,
            }
        )
    return found
