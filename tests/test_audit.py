"""The dependency audit (.ci/audit.py): pip-audit against the vulnerability
database kept in the repository, failing whenever it could not audit."""

import importlib.util
import json
from pathlib import Path

import pytest

AUDIT = Path(__file__).resolve().parent.parent / ".ci" / "audit.py"
spec = importlib.util.spec_from_file_location("audit", AUDIT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

DJANGO_ADVISORY = {
    "id": "PYSEC-2024-70",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "django"},
            "ranges": [
                {
                    "type": "ECOSYSTEM",
                    "events": [
                        {"introduced": "5.0"},
                        {"fixed": "5.0.8"},
                        {"introduced": "4.2"},
                        {"fixed": "4.2.15"},
                    ],
                }
            ],
        }
    ],
}


@pytest.mark.parametrize(
    ("version", "affected"),
    [("5.0.7", True), ("5.0.8", False), ("4.2.14", True), ("4.1", False), ("5.2.19", False)],
)
def test_a_version_is_affected_exactly_inside_an_advisorys_ranges(version, affected):
    assert audit.affects(DJANGO_ADVISORY, "django", version) is affected


def test_a_version_listed_by_an_advisory_is_affected():
    record = {
        "affected": [{"package": {"ecosystem": "PyPI", "name": "Nh3"}, "versions": ["0.3.8"]}]
    }
    assert audit.affects(record, "nh3", "0.3.8")


def export(tmp_path, packages):
    path = tmp_path / "vulnerabilities.json"
    document = {"source": "test", "commit": "0", "as_of": "2026-01-01", "packages": packages}
    path.write_text(json.dumps(document))
    return path


def every_installed_package(**records):
    return {name: records.get(name.replace("-", "_"), []) for name in audit.installed()}


def test_the_audit_fails_without_a_database(tmp_path, capsys):
    assert audit.audit(tmp_path / "missing.json") == 1
    assert "NOT AUDITED" in capsys.readouterr().out


def test_the_audit_fails_when_a_dependency_is_not_in_the_database(tmp_path, capsys):
    packages = every_installed_package()
    del packages["django"]
    assert audit.audit(export(tmp_path, packages)) == 1
    assert "NOT AUDITED" in capsys.readouterr().out


def test_the_audit_fails_on_a_known_vulnerability_of_an_installed_version(tmp_path, capsys):
    everything = {**DJANGO_ADVISORY, "affected": [{**DJANGO_ADVISORY["affected"][0]}]}
    everything["affected"][0]["ranges"] = [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]
    assert audit.audit(export(tmp_path, every_installed_package(django=[everything]))) == 1
    assert "VULNERABLE django" in capsys.readouterr().out


def test_the_audit_passes_when_every_dependency_is_audited_clean(tmp_path, capsys):
    assert audit.audit(export(tmp_path, every_installed_package())) == 0
    assert "0 not audited, 0 with known vulnerabilities" in capsys.readouterr().out


def test_the_shipped_database_covers_every_installed_package():
    shipped = json.loads(audit.EXPORT.read_text())["packages"]
    assert set(audit.installed()) <= set(shipped)
