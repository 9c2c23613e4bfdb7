"""The README is the front door: what it tells a newcomer to run or open
works on a fresh clone."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def repository_paths_named_in_the_readme():
    """Relative paths in `code` or in links: those with a folder and a file
    extension, or a folder ending in a slash."""
    named = re.findall(r"`([^`\s]+)`", README) + re.findall(r"\]\(([^)\s#]+)\)", README)
    return sorted(
        {
            path
            for path in named
            if "/" in path
            and not path.startswith("/")
            and not re.search(r"://|[=<>*]", path)
            and (re.search(r"\.[a-z]{2,4}$", path) or path.endswith("/"))
        }
    )


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("path", repository_paths_named_in_the_readme())
def test_every_file_the_readme_names_is_in_the_repository(path):
    made_locally = git("check-ignore", "--quiet", path).returncode == 0  # .venv/, .cache/
    assert made_locally or git("ls-files", "--", path).stdout.strip(), (
        f"{path} is not in a fresh clone"
    )


def test_the_readme_names_files_to_check():
    assert "examples/claims.csv" in repository_paths_named_in_the_readme()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_serves_and_announces_the_port_it_is_given():
    commands = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "demo_login --address 127.0.0.1:8001" in commands
    assert "runserver 127.0.0.1:8001" in commands


def test_the_demo_login_prints_the_address_served(settings, db):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("demo_login", "--address", "127.0.0.1:8001", stdout=out)

    assert "The demo timeline: http://127.0.0.1:8001/" in out.getvalue()
    assert "at http://127.0.0.1:8001/admin/: editor / editor" in out.getvalue()


def test_the_readme_tells_a_reporter_how_to_enter_a_casualty_report():
    section = README.split("## How to enter a casualty report", 1)[1].split("\n## ", 1)[0]
    for words in ["low", "best", "high", "more than", "about", "corroborated", "disputed"]:
        assert words in section
