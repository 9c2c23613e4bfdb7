vcl 4.1;
# The shared cache in front of the app servers: Debian's varnish with the
# xkey module of varnish-modules (apt-get install varnish varnish-modules).
#
# - Public pages are kept as long as the app's Cache-Control allows
#   (s-maxage), and served a while longer while they are fetched afresh or
#   while the app fails (stale-while-revalidate, stale-if-error: grace).
# - Every page names what it shows in its xkey header (conflict-<slug>,
#   event-<pk>, events-of-<slug>, home); the app purges those keys after each
#   committed change with `PURGE /` and an `xkey-purge: <keys>` header
#   (DJANGO_CACHE_PURGE_URLS=http://<this host>:6081/). Purged pages are
#   marked stale, not dropped: the next reader gets the old copy while
#   Varnish fetches the new one, once, for everyone.
# - Staff (a session cookie), the admin, and anything the app marks private
#   or sets a cookie on are passed through, never stored.
#
# Run: varnishd -a :6081 -f /etc/varnish/varnish.vcl -s malloc,1G
# The app server below is gunicorn on this machine; list more with
# vmod_directors for several.

import std;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
    .between_bytes_timeout = 10s;
    .probe = {
        .url = "/";
        .interval = 1s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
        .initial = 2;  # healthy from the start, until probes say otherwise
    }
}

# Who may purge: the app servers. Add their addresses.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        if (req.http.xkey-purge) {
            set req.http.purged = xkey.softpurge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.purged));
        }
        return (synth(400, "Name the keys to purge in an xkey-purge header"));
    }
    unset req.http.X-Cache;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin/" || req.http.Authorization || req.http.Cookie ~ "sessionid=") {
        return (pass);
    }
    # The public site sets no cookies and reads none.
    unset req.http.Cookie;
    # A page's language is in its address (/ru/conflicts/...), never in a
    # header: the app reads no Accept-Language on public pages, so none is
    # passed on, and each address is stored once, whatever the browser.
    # (Only the admin follows the browser's language, and it is passed.)
    unset req.http.Accept-Language;
    # While the app answers, a stale copy is served for a few seconds at
    # most while a fresh one is fetched; when it does not, for as long as
    # the page allows (stale-if-error).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_response {
    # A failed fetch in the background keeps the copy readers are served.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Store only what the app says is public and may be kept: the rest
    # (errors, not-found pages, previews, pages to revalidate each time when
    # no purge reaches this cache) is fetched each time.
    if (beresp.http.Cache-Control !~ "public"
        || beresp.http.Cache-Control ~ "no-cache|no-store|private"
        || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 10s);
    }
    return (deliver);
}

sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_hit {
    if (obj.ttl <= 0s) {
        set req.http.X-Cache = "stale";  # in grace, while a fresh copy is fetched
    }
}

sub vcl_deliver {
    # The keys are for us; readers and browsers revalidate by ETag.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (req.http.X-Cache) {
        set resp.http.X-Cache = req.http.X-Cache;
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
