"""How a source's URL is kept: one spelling per article however it was pasted
(normalise_url), and the spellings that probably name the same one
(url_variants).

Ours rather than a library's: w3lib's canonicalize_url sorts the query
(which changes what some sites serve), keeps default ports, tracking
parameters and bare flags ("?flag" becomes "?flag="), rewrites %20 as "+",
and raises on "http://[]/" or a port past 65535; url-normalize keeps the
fragment and tracking parameters (its filter keeps only an allowlist),
percent-encodes the spaces around a pasted URL, invents "https://" for text
that is no URL, and raises on "http://[]/" too. Both resolve "/../" in a path,
which would change URLs already kept. Migration 0003 holds a frozen copy.
"""

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

# Query parameters that say how a reader arrived, not what they read.
TRACKING_PARAMETERS = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
}
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_parameter(name):
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def normalise_url(url):
    """The one spelling of a URL under which its article is kept as a source,
    however it was pasted: scheme and host in lower case, no default port,
    no fragment, no tracking parameters (utm_*, fbclid, ...); the other
    query parameters stay as given, in their order."""
    url = _strip(url)
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[]/": left for the URL validator to refuse
        return url
    scheme = parts.scheme.lower()
    # Stripped again: dropping the fragment can leave spaces at the end.
    return _strip(
        urlunsplit((scheme, _netloc(parts, scheme), parts.path or "/", _query(parts), ""))
    )


def url_variants(url):
    """The spellings of a normalised URL that probably name the same article:
    by http or https, with or without "www.", with or without a slash at the
    end of its path."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    return {
        urlunsplit((scheme, netloc, variant or "/", parts.query, ""))
        for scheme in ("http", "https")
        for netloc in (host, f"www.{host}")
        for variant in (path, f"{path}/")
    }


def _strip(url):
    """Without the Unicode spaces and control characters around it, which URL
    parsers drop too, so that a normalised URL reads the same the second time."""
    return re.sub(r"^[\s\x00-\x20]+|[\s\x00-\x20]+$", "", url)


def _netloc(parts, scheme):
    try:
        port = parts.port
    except ValueError:
        return parts.netloc.lower()  # not a port: left for the URL validator to refuse
    if not parts.hostname:
        return parts.netloc.lower()
    netloc = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    return f"{userinfo}@{netloc}" if userinfo else netloc


def _query(parts):
    # Filtered without decoding, so that what is kept keeps its exact spelling.
    return "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and not is_tracking_parameter(unquote_plus(pair.partition("=")[0]))
    )
