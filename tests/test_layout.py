"""The record (tracker/) stands on its own: it knows neither the public site
(timeline/) nor the project package that assembles them (config/)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE_THE_RECORD = {"timeline", "config"}


def imported_packages(source):
    """The top-level package of every module a Python file imports."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.partition(".")[0]


def test_the_import_walk_sees_every_form_of_import():
    source = "import timeline.cache\nfrom config import settings\nfrom . import models\n"
    assert set(imported_packages(source)) == {"timeline", "config"}


@pytest.mark.parametrize(
    "path",
    sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tracker").rglob("*.py")),
)
def test_the_record_imports_neither_the_public_site_nor_the_project(path):
    imported = set(imported_packages((ROOT / path).read_text()))
    assert not imported & OUTSIDE_THE_RECORD, f"{path} imports {imported & OUTSIDE_THE_RECORD}"


def imported_names(source):
    """(module, name) of every `from module import name` in a Python file,
    at any depth: the benchmark imports inside its functions."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            yield from ((node.module, alias.name) for alias in node.names)


@pytest.mark.parametrize(
    "path", sorted(str(path.relative_to(ROOT)) for path in (ROOT / "bench").rglob("*.py"))
)
def test_what_the_benchmark_imports_from_the_project_exists(path):
    # The benchmark runs outside the test suite, after minutes of load: an
    # import left behind by a move must fail here, not at its last step.
    import importlib.util

    for module, name in imported_names((ROOT / path).read_text()):
        if name == "*":
            continue
        if module.partition(".")[0] not in {"tracker", "timeline", "config", "bench"}:
            continue
        imported = importlib.import_module(module)
        assert hasattr(imported, name) or importlib.util.find_spec(f"{module}.{name}"), (
            f"{path}: from {module} import {name}"
        )
