"""The real Varnish (Debian's varnishd with the xkey module of
varnish-modules) running deploy/varnish.vcl in front of an app server of the
test's own, for the tests marked `varnish`.

Where varnishd or the xkey module is missing the tests are skipped, except
in CI (CI set), where they fail: CI must not pass without having shown the
configuration to the real thing."""

import os
import urllib.error
import urllib.request

import pytest

from bench.varnish import LocalVarnish, available

# Django's test server keeps a thread for each open connection, which would
# outlive the server's stop: one connection per request.
ONE_CONNECTION_PER_REQUEST = """
sub vcl_backend_fetch {
    set bereq.http.Connection = "close";
}
"""


def require_varnish():
    if not available():
        if os.environ.get("CI"):
            pytest.fail("CI needs varnish and varnish-modules (xkey) for the varnish tests")
        pytest.skip("needs Debian's varnish and varnish-modules (apt-get install both)")


class Varnish(LocalVarnish):
    def __init__(self, backend_port):
        require_varnish()
        super().__init__(backend_port, extra_vcl=ONE_CONNECTION_PER_REQUEST)

    def get(self, path):
        """(status, X-Cache, body) of a reader's request."""
        request = urllib.request.Request(self.url + path, headers={"Accept-Language": "en"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers["X-Cache"], response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers["X-Cache"], error.read().decode()
