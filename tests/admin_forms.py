"""POST bodies of the admin's forms, as a browser would send them."""

from html.parser import HTMLParser

from tracker.models import Event

INLINE_PREFIXES = ["participants", "citations", "claims", "media", "links_out", "corrections"]


def event_form(conflict, claims=(), **fields):
    """The POST body of the admin's event form, with its inline formsets."""
    data = {
        "conflict": conflict.pk,
        "kind": Event.Kind.CEASEFIRE,
        "title": "Ceasefire takes effect",
        "slug": "",
        "summary": "Azerbaijan **said** the ceasefire took effect.",
        "starts_at_0": "2023-09-20",
        "starts_at_1": "13:00",
        "ends_at_0": "",
        "ends_at_1": "",
        "precision": "minute",
        "place": "",
        "status": Event.Status.DRAFT,
        "retraction_note": "",
    }
    for prefix in INLINE_PREFIXES:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data["claims-TOTAL_FORMS"] = len(claims)
    for n, claim in enumerate(claims):
        data |= {f"claims-{n}-{name}": value for name, value in claim.items()}
    return data | fields


def claim_form(claimant, source, **fields):
    return {
        "claimant": claimant.pk,
        "source": source.pk,
        "metric": "killed",
        "population": "unspecified",
        "party": "",
        "scope": "incident",
        "period_start": "",
        "qualifier": "exact",
        "low": "",
        "best": "32",
        "high": "",
        "wording": "",
        "as_of_0": "2023-09-20",
        "as_of_1": "18:00",
        "grade": "single_source",
        "note": "",
    } | fields


class _FormValues(HTMLParser):
    """Collects what a browser would submit from the page's forms."""

    def __init__(self):
        super().__init__()
        self.values = {}
        self._select = self._textarea = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
            else:
                self.values[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.values.setdefault(self._select, value)
            if "selected" in attrs:
                self.values[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # Browsers drop the newline that follows <textarea>.
            self.values[self._textarea] += (
                data.removeprefix("\n") if not self.values[self._textarea] else data
            )


def page_form_data(response):
    """The POST body a browser sends for the page's form when nothing is
    touched: every input, select and textarea with its current value."""
    parser = _FormValues()
    parser.feed(response.content.decode())
    return {
        name: value
        for name, value in parser.values.items()
        if "__prefix__" not in name and name not in {"csrfmiddlewaretoken", "action"}
    }
