"""Debian's varnishd with deploy/varnish.vcl, on a free loopback port in
front of an app server on this machine: for `make bench` and the varnish
tests (tests/varnish.py)."""

import glob
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
XKEY = "/usr/lib/*/varnish/vmods/libvmod_xkey.so"


def available():
    """Whether varnishd and the xkey module are installed."""
    return os.path.exists(VARNISHD) and bool(glob.glob(XKEY))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def counters(workdir):
    """(requests answered, requests sent to the app) so far by the varnishd
    whose working directory is `workdir`."""
    result = subprocess.run(
        [
            "varnishstat",
            "-n",
            workdir,
            "-1",
            "-j",
            "-f",
            "MAIN.client_req",
            "-f",
            "MAIN.backend_req",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    found = found.get("counters", found)
    return found["MAIN.client_req"]["value"], found["MAIN.backend_req"]["value"]


class LocalVarnish:
    """varnishd in the foreground of a child process, with the shipped VCL
    pointed at the app server at `backend_port`; `extra_vcl` is appended."""

    def __init__(self, backend_port, extra_vcl=""):
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="varnish-")
        vcl = re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', VCL.read_text())
        vcl_path = Path(self.workdir) / "local.vcl"
        vcl_path.write_text(vcl + extra_vcl)
        self.process = subprocess.Popen(
            [VARNISHD, "-F", "-j", "none", "-n", self.workdir, "-f", str(vcl_path)]
            + ["-a", f"127.0.0.1:{self.port}", "-T", f"127.0.0.1:{free_port()}"]
            + ["-s", "malloc,256m"],
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
        self.stop()
        raise RuntimeError("varnishd did not start listening")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def counters(self):
        """(requests answered, requests sent to the app) so far."""
        return counters(self.workdir)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
