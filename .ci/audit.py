"""pip-audit over the installed dependencies (the virtualenv `make install`
builds from the pinned requirements files), against the vulnerability
database kept in this repository: .ci/vulnerabilities.json, an export of
the PyPA advisory database (OSV records) for every installed package.

CI reaches the package registries and nothing else, so pip-audit asks a
local OSV query endpoint that this script serves from the export, and does
the rest as usual. The run fails on any known vulnerability, and on any
dependency that could not be audited: one missing from the export, or one
pip-audit skips. An audit that could not happen is a failure, not a pass.

Refresh the export (when a pin changes, and regularly) on a machine that
reaches GitHub:

    git clone --depth 1 https://github.com/pypa/advisory-database /tmp/advisory-database
    .venv/bin/python .ci/audit.py --refresh /tmp/advisory-database

and commit .ci/vulnerabilities.json. Every run prints the database's date.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

EXPORT = Path(__file__).with_name("vulnerabilities.json")
BIN = Path(sys.executable).parent


def installed():
    """Canonical names of the packages installed in this environment."""
    result = subprocess.run(
        [str(BIN / "python"), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted({canonicalize_name(package["name"]) for package in json.loads(result.stdout)})


# --- The export -------------------------------------------------------------


def refresh(checkout, names, export=EXPORT):
    """Write the export from a checkout of the PyPA advisory database: every
    record of each named package, and an empty list for one without any, so
    that a package missing from the export is told apart from a safe one."""
    import yaml

    checkout = Path(checkout)
    commit = subprocess.run(
        ["git", "-C", str(checkout), "log", "-1", "--format=%H %cI"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    records = {}
    for directory in (checkout / "vulns").iterdir():
        name = canonicalize_name(directory.name)
        if name in names:
            # Every value as written: "1.10" is a version, not a number.
            records[name] = [
                yaml.load(path.read_text(), Loader=yaml.BaseLoader)
                for path in sorted(directory.glob("*.yaml"))
            ]
    document = {
        "source": "https://github.com/pypa/advisory-database",
        "commit": commit[0] if commit else None,
        "as_of": commit[1] if len(commit) > 1 else None,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "packages": {name: records.get(name, []) for name in sorted(names)},
    }
    export.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    return document


def affects(record, name, version):
    """Whether an OSV record says `version` of `name` is affected: listed
    among its versions, or inside one of its ECOSYSTEM ranges."""
    try:
        version = Version(version)
    except InvalidVersion:
        return False
    for affected in record.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != "PyPI" or canonicalize_name(package.get("name", "")) != name:
            continue
        listed = set()
        for text in affected.get("versions", []):
            try:
                listed.add(Version(str(text)))
            except InvalidVersion:
                continue
        if version in listed:
            return True
        for found in affected.get("ranges", []):
            if found.get("type") == "ECOSYSTEM" and in_range(found.get("events", []), version):
                return True
    return False


def in_range(events, version):
    """OSV range events read in order: introduced opens, fixed closes before,
    last_affected closes after."""
    inside = False
    for event in sorted(events, key=lambda event: _event_version(event)):
        point = _event_version(event)
        closes = ("fixed" in event and version >= point) or (
            "last_affected" in event and version > point
        )
        if "introduced" in event and version >= point:
            inside = True
        elif closes:
            inside = False
    return inside


def _event_version(event):
    text = str(next(iter(event.values())))
    return Version("0") if text == "0" else Version(text)


# --- The local OSV endpoint -------------------------------------------------


def serve(packages):
    """An OSV /v1/query endpoint on a free loopback port, answering from the
    export. Packages it does not know answer 404 and are remembered."""
    unknown = set()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            name = canonicalize_name(query["package"]["name"])
            if name not in packages:
                unknown.add(name)
                self.send_error(404)
                return
            vulns = [r for r in packages[name] if affects(r, name, query["version"])]
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, unknown


def audit(export=EXPORT):
    """Exit status: 0 when every dependency was audited and none is known to
    be vulnerable, 1 otherwise."""
    if not export.exists():
        print(f"NOT AUDITED: no vulnerability database at {export}. See the refresh command.")
        return 1
    document = json.loads(export.read_text())
    print(
        f"Vulnerability database: {document['source']} at {document['commit']} "
        f"(as of {document['as_of']}), {len(document['packages'])} packages."
    )
    names = installed()
    missing = [name for name in names if name not in document["packages"]]
    server, unknown = serve(document["packages"])
    url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    with tempfile.TemporaryDirectory() as cache:
        result = subprocess.run(
            [
                str(BIN / "pip-audit"),
                "--vulnerability-service", "osv", "--osv-url", url, "--cache-dir", cache,
                "--format", "json", "--progress-spinner", "off", "--skip-editable",
            ],
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
    server.shutdown()
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr.strip() or "pip-audit said nothing", file=sys.stderr)
        missing = sorted({*missing, *unknown})
        print(f"NOT AUDITED: pip-audit could not finish; not in the database: {missing}")
        return 1
    dependencies = report["dependencies"]
    vulnerable = [dependency for dependency in dependencies if dependency.get("vulns")]
    skipped = [dependency for dependency in dependencies if "skip_reason" in dependency]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln["fix_versions"]) or "no fixed release"
            print(
                f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} ({fixed})"
            )
    for dependency in skipped:
        print(f"NOT AUDITED {dependency['name']}: {dependency['skip_reason']}")
    print(
        f"pip-audit: {len(dependencies)} dependencies, "
        f"{len(dependencies) - len(skipped)} audited, {len(skipped)} not audited, "
        f"{len(vulnerable)} with known vulnerabilities."
    )
    return 1 if vulnerable or skipped or not dependencies else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refresh", metavar="ADVISORY_DATABASE_CHECKOUT")
    arguments = parser.parse_args()
    if arguments.refresh:
        written = refresh(arguments.refresh, installed())
        print(f"Wrote {EXPORT}: {len(written['packages'])} packages as of {written['as_of']}.")
        sys.exit(0)
    sys.exit(audit())
