"""The newsroom's look on the public site: its colours as a stylesheet of
their own, its logo, and what every page's template reads of them.

The strict Content-Security-Policy allows no inline style, so the accent
colour reaches the pages as a tiny stylesheet at an address that names its
colours (/look/<version>.css): kept by browsers and caches for a year, and
replaced, not revalidated, when the colours change. The logo is served from
our own address too, under the random name it was stored with, whatever the
storage behind it: no public page loads anything from another host.
"""

from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property

from tracker import newsroom

A_YEAR = 365 * 24 * 60 * 60
KEPT_FOR_EVER = f"public, max-age={A_YEAR}, immutable"


class PublicLook:
    """The look as templates read it: names, addresses and sizes."""

    def __init__(self, look):
        self.look = look

    @property
    def name(self):
        return self.look.display_name

    @property
    def site_url(self):
        return self.look.site_url

    @property
    def site_host(self):
        """The newsroom's site as a reader reads its address: the host."""
        host = urlsplit(self.look.site_url).hostname or self.look.site_url
        return host.removeprefix("www.")

    @cached_property
    def logo_url(self):
        if not self.look.logo:
            return ""
        return reverse("timeline:logo", args=[self.look.logo_file])

    @property
    def logo_width(self):
        return self.look.logo_width

    @property
    def logo_height(self):
        return self.look.logo_height

    @cached_property
    def stylesheet_url(self):
        """Where the newsroom's colours are, or "" when it has none."""
        if not self.look.accent:
            return ""
        return reverse("timeline:look_css", args=[self.look.version])


def current():
    return PublicLook(newsroom.look())


def stylesheet(look):
    """The newsroom's colours as custom properties that site.css (light) and
    dark.css (dark) take their accent from."""
    if not look.accent:
        return ""
    return f":root{{--accent-light:{look.accent};--accent-dark:{look.accent_dark}}}\n"


def look_css(request, version):
    look = newsroom.look()
    if version != look.version:
        # An address of colours no longer in use: the current ones.
        response = HttpResponseRedirect(reverse("timeline:look_css", args=[look.version]))
        response["Cache-Control"] = "no-cache"
        return response
    response = HttpResponse(stylesheet(look), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = KEPT_FOR_EVER
    return response


def logo(request, file):
    look = newsroom.look()
    if not look.logo or file != look.logo_file:
        raise Http404("No such logo")
    extension = "." + file.rpartition(".")[2]
    try:
        stored = default_storage.open(look.logo, "rb")
    except FileNotFoundError:
        raise Http404("No such logo") from None
    response = FileResponse(stored, content_type=newsroom.LOGO_TYPES.get(extension, "image/png"))
    response["Cache-Control"] = KEPT_FOR_EVER
    # Feed readers and link previews on other sites show it too.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def absolute_logo_url(request):
    """The logo's full address, for feeds and link previews; "" without one."""
    url = current().logo_url
    return request.build_absolute_uri(url) if url else ""


THEMES = ("light", "dark")


def theme_of(params, name="theme"):
    """A theme asked for in the query ("light" or "dark"), or None: anything
    else is ignored, and the page follows the reader's own setting."""
    value = params.get(name, "")
    return value if value in THEMES else None
