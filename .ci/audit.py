"""pip-audit over the installed dependencies (the virtualenv `make install`
builds from the pinned requirements files).

Fails on any known vulnerability. When the vulnerability service cannot be
reached, or cannot answer for a dependency (a registry mirror that does not
serve PyPI's per-release JSON answers "not found on PyPI"), it says so loudly
and does not fail: an audit that could not happen is not a finding, and CI
must not depend on a service outside the package registries.
"""

import json
import subprocess
import sys
from pathlib import Path

pip_audit = Path(sys.executable).parent / "pip-audit"
result = subprocess.run(
    [str(pip_audit), "--format", "json", "--progress-spinner", "off", "--skip-editable"],
    capture_output=True,
    text=True,
    check=False,
)
try:
    report = json.loads(result.stdout)
except json.JSONDecodeError:
    print(result.stderr.strip().splitlines()[-1:] or "no output", file=sys.stderr)
    print("WARNING: pip-audit could not reach its vulnerability service: NOT AUDITED.")
    sys.exit(0)

dependencies = report["dependencies"]
vulnerable = [dependency for dependency in dependencies if dependency.get("vulns")]
skipped = [dependency for dependency in dependencies if "skip_reason" in dependency]
audited = len(dependencies) - len(skipped)
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixed = ", ".join(vuln["fix_versions"]) or "no fixed release"
        print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} ({fixed})")
print(
    f"pip-audit: {len(dependencies)} dependencies, {audited} audited, "
    f"{len(skipped)} could not be audited, {len(vulnerable)} with known vulnerabilities."
)
if skipped:
    print(
        f"WARNING: {len(skipped)} dependencies NOT AUDITED ("
        + ", ".join(sorted(dependency["name"] for dependency in skipped)[:8])
        + (", ..." if len(skipped) > 8 else "")
        + f"): {skipped[0]['skip_reason']}"
    )
sys.exit(1 if vulnerable else 0)
