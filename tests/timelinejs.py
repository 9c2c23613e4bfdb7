"""The real TimelineJS, from the npm registry, for the tests that load our
timelinejs.json documents the way a newsroom's readers do.

It is installed once into .cache/ (ignored by git), by whichever test
process gets there first: the others wait on a lock file and find it
installed. Where npm is missing the tests are skipped, except in CI (CI set),
where they fail: CI must not pass without having shown the documents to
TimelineJS."""

import fcntl
import os
import pathlib
import shutil
import subprocess

import pytest

VERSION = "3.9.11"
PACKAGE = f"@knight-lab/timelinejs@{VERSION}"
CACHE = pathlib.Path(__file__).resolve().parent.parent / ".cache" / f"timelinejs-{VERSION}"
DIST = CACHE / "node_modules" / "@knight-lab" / "timelinejs" / "dist"


def installed_dist():
    """The folder holding js/timeline.js and css/timeline.css."""
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with open(CACHE.parent / f"timelinejs-{VERSION}.lock", "w") as lock:
        # Parallel test processes must not run npm into one folder at once,
        # nor read it while another one is writing it.
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _install()


def _install():
    if (DIST / "js" / "timeline.js").exists():
        return DIST
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs npm to install TimelineJS for the timelinejs.json tests")
        pytest.skip("needs npm to install TimelineJS")
    CACHE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            npm, "install", "--prefix", str(CACHE), "--no-save", "--no-audit", "--no-fund",
            "--ignore-scripts", "--no-package-lock", PACKAGE,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    if result.returncode != 0 or not (DIST / "js" / "timeline.js").exists():
        pytest.fail(f"npm could not install {PACKAGE}:\n{result.stdout}\n{result.stderr}")
    return DIST
