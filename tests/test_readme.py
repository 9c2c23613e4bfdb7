"""The README is the front door: what it tells a newcomer to run or open
works on a fresh clone."""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
# The README and the chapters it links to in docs/.
DOCUMENTS = ["README.md", *sorted(f"docs/{path.name}" for path in (ROOT / "docs").glob("*.md"))]


def repository_paths_named_in_the_readme():
    """Relative paths in `code` or in links, in the README and docs/: those
    with a folder and a file extension, or a folder ending in a slash."""
    named = []
    for document in DOCUMENTS:
        text = (ROOT / document).read_text()
        folder = Path(document).parent
        links = re.findall(r"\]\(([^)\s#]+)\)", text)
        named += re.findall(r"`([^`\s]+)`", text) + [
            link if "://" in link else os.path.normpath(folder / link) for link in links
        ]
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


def heading_anchors(text):
    """The anchors a Markdown renderer gives the headings (GitHub's way)."""
    return {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in re.findall(r"(?m)^#+ (.+)$", text)
    }


def links_between_documents():
    """Every link from one document to a file of the repository, with its
    #anchor if it has one."""
    return [
        (document, target)
        for document in DOCUMENTS
        for target in re.findall(r"\]\(([^)\s]+)\)", (ROOT / document).read_text())
        if not re.match(r"[a-z]+:", target)
    ]


def test_the_readme_links_each_chapter_in_docs():
    linked = {target for document, target in links_between_documents() if document == "README.md"}
    assert {document for document in DOCUMENTS if document != "README.md"} <= linked
    assert len(DOCUMENTS) >= 5, "operations, API, imports and performance are in docs/"


@pytest.mark.parametrize(("document", "target"), links_between_documents())
def test_every_link_between_the_documents_leads_somewhere(document, target):
    path, _, anchor = target.partition("#")
    file = (ROOT / document).parent / path if path else ROOT / document
    assert file.exists(), f"{document} links to {target}, which is not there"
    if anchor:
        assert anchor in heading_anchors(file.read_text()), f"{document}: no heading for {target}"


def the_map():
    """The paths that "Where things live" lists. A line at the margin names
    paths from the project folder, an indented one paths in the folder
    above it; more paths may follow the first after commas, in the first
    one's folder. Lines indented further continue a description."""
    section = README.split("## Where things live", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    listed, folder = set(), ""
    for line in block.splitlines()[1:]:
        indent = len(line) - len(line.lstrip())
        if not line.strip() or indent > 2:
            continue
        names = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0].split(", ")
        base = "" if indent == 0 else folder
        first = base + names[0]
        if indent == 0:
            folder = first if first.endswith("/") else ""
        within = first.rsplit("/", 1)[0] + "/" if "/" in first.rstrip("/") else base
        listed |= {first, *(within + name for name in names[1:])}
    return listed


def test_every_path_in_the_map_of_where_things_live_exists():
    missing = sorted(path for path in the_map() if not (ROOT / path).exists())
    assert not missing, f"the README's map lists what is not there: {missing}"


def test_the_map_of_where_things_live_lists_every_folder():
    listed = the_map()
    folders = [
        path.name + "/"
        for path in ROOT.iterdir()
        if path.is_dir()
        and path.name != ".git"
        and git("check-ignore", "--quiet", path.name).returncode != 0
    ]
    unlisted = sorted(
        folder for folder in folders if not any(path.startswith(folder) for path in listed)
    )
    assert not unlisted, f"the README's map does not say what is in {unlisted}"


@pytest.mark.parametrize("app", ["tracker", "timeline"])
def test_the_map_of_where_things_live_lists_every_module(app):
    listed = the_map()
    modules = [
        f"{app}/{path.name}" for path in (ROOT / app).glob("*.py") if path.name != "__init__.py"
    ]
    packages = [f"{app}/{path.parent.name}/" for path in (ROOT / app).glob("*/__init__.py")]
    unlisted = sorted(
        {module for module in modules if module not in listed}
        | {package for package in packages if not any(p.startswith(package) for p in listed)}
    )
    assert not unlisted, f"the README's map does not say what {unlisted} are for"
