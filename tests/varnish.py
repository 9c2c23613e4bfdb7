"""The real Varnish (Debian's varnishd with the xkey module of
varnish-modules), in front of an app server of the test's own, running
deploy/varnish.vcl, for the tests marked `varnish`.

Where varnishd or the xkey module is missing the tests are skipped, except
in CI (CI set), where they fail: CI must not pass without having shown the
configuration to the real thing."""

import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
XKEY = "/usr/lib/*/varnish/vmods/libvmod_xkey.so"


def require_varnish():
    if not (os.path.exists(VARNISHD) and glob.glob(XKEY)):
        if os.environ.get("CI"):
            pytest.fail("CI needs varnish and varnish-modules (xkey) for the varnish tests")
        pytest.skip(
            "needs Debian's varnish and varnish-modules: apt-get install varnish varnish-modules"
        )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Varnish:
    """varnishd on a loopback port, in the foreground of a child process,
    with deploy/varnish.vcl pointed at the app server at `backend_port`."""

    def __init__(self, backend_port):
        require_varnish()
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="varnish-test-")
        vcl = re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', VCL.read_text())
        # Django's test server keeps a thread for each open connection, which
        # would outlive the server's stop: one connection per request.
        vcl += '\nsub vcl_backend_fetch {\n    set bereq.http.Connection = "close";\n}\n'
        vcl_path = Path(self.workdir) / "test.vcl"
        vcl_path.write_text(vcl)
        self.process = subprocess.Popen(
            [VARNISHD, "-F", "-j", "none", "-n", self.workdir, "-f", str(vcl_path)]
            + ["-a", f"127.0.0.1:{self.port}", "-T", f"127.0.0.1:{free_port()}"]
            + ["-s", "malloc,32m", "-p", "default_ttl=0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd stopped: {self.process.stdout.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("varnishd did not start listening")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path):
        """(status, X-Cache, body) of a reader's request."""
        request = urllib.request.Request(self.url + path, headers={"Accept-Language": "en"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers["X-Cache"], response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers["X-Cache"], error.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
