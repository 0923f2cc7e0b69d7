"""Collectors other packages publish: an entry point that cannot be used is left out and said,
never silently: one of a shipped name, one whose suffix is not a file extension."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from helpers import edit
from plaintrust import pipeline
from plaintrust.collect import registry
from plaintrust.collect.api import GROUP
from plaintrust.rules import collect_options, collect_unknown

RECORD = "evidence/access/mfa-policy.yaml"
PINNED = "    sha256: 08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230\n"

PLUGINS = """
from plaintrust.collect.api import Collector

def _collect(options, context):
    return b"{}"

FILE = Collector(name="file", summary="Another file.", collect=_collect, options={"type": "object"})
BARE = Collector(name="bare", summary="No dot.", collect=_collect, suffix="json")
CLIMB = Collector(name="climb", summary="Climbs.", collect=_collect, suffix="/../../x.txt")
GOOD = Collector(name="good", summary="Good.", collect=_collect, suffix=".xml")
"""


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An installed package publishing four collectors, beside Plaintrust's own entry points."""
    (tmp_path / "some_plugins.py").write_text(PLUGINS)
    monkeypatch.syspath_prepend(str(tmp_path))
    points = [
        EntryPoint("file", "plaintrust.collect.file:COLLECTOR", GROUP),  # Plaintrust's own: not a problem
        EntryPoint("file", "some_plugins:FILE", GROUP),
        EntryPoint("bare", "some_plugins:BARE", GROUP),
        EntryPoint("climb", "some_plugins:CLIMB", GROUP),
        EntryPoint("good", "some_plugins:GOOD", GROUP),
    ]
    monkeypatch.setattr(registry, "entry_points", lambda group: points if group == GROUP else [])
    registry._published.cache_clear()
    collect_options._validator.cache_clear()
    yield
    registry._published.cache_clear()
    collect_options._validator.cache_clear()


def with_collect(repo: Path, block: str) -> pipeline.Result:
    edit(repo, RECORD, PINNED, PINNED + block)
    return pipeline.run(repo)


@pytest.mark.usefixtures("published")
def test_an_entry_point_with_a_shipped_name_is_ignored_and_said() -> None:
    assert registry.find("file") is registry._shipped("file")
    said = [p for p in registry.problems() if "'file'" in p]
    assert said == ["the entry point 'file' (some_plugins:FILE) has the name of a shipped collector: ignored"]


@pytest.mark.usefixtures("published")
def test_a_collector_whose_suffix_is_not_an_extension_is_not_usable() -> None:
    assert registry.find("bare") is None and registry.find("climb") is None
    assert registry.find("good") is not None and registry.names() == (
        "command", "file", "git", "good", "http-json", "tls-certificate",
    )  # fmt: skip
    assert [p for p in registry.problems() if "suffix" in p] == [
        "the collector 'bare' (some_plugins:BARE) has the suffix 'json', not a dot and 1 to 16 letters or digits",
        "the collector 'climb' (some_plugins:CLIMB) has the suffix '/../../x.txt', not a dot and 1 to 16 letters or digits",
    ]


@pytest.mark.usefixtures("published")
def test_check_says_why_a_collector_with_a_bad_suffix_cannot_be_used(base_repo: Path) -> None:
    result = with_collect(base_repo, "collect:\n  use: climb\n  every: daily\n")
    [found] = [d for d in result.diagnostics if d.rule == collect_unknown.ID]
    assert found.message == "collect: no collector is named 'climb'"
    assert found.hint is not None and "has the suffix '/../../x.txt'" in found.hint


@pytest.mark.usefixtures("published")
def test_check_says_a_package_collector_of_a_shipped_name_was_ignored(base_repo: Path) -> None:
    result = with_collect(base_repo, "collect:\n  use: file\n  with: {bucket: evidence-exports}\n  every: daily\n")
    hints = [d.hint for d in result.diagnostics if d.rule == collect_options.ID]
    assert hints and all(
        h is not None
        and h.endswith("note: the entry point 'file' (some_plugins:FILE) has the name of a shipped collector: ignored")
        for h in hints
    )


@pytest.mark.parametrize("name", sorted(registry.SHIPPED))
def test_each_shipped_collectors_options_are_a_valid_schema(name: str) -> None:
    """check does not check the shipped schemas (it would cost every run): this test does."""
    from jsonschema import Draft202012Validator

    collector = registry.find(name)
    assert collector is not None and collector.name == name
    Draft202012Validator.check_schema(dict(collector.options) or {"type": "object"})
    assert collector.options.get("additionalProperties") is False
    properties = collector.options["properties"]
    assert isinstance(properties, dict)
    # The descriptions are the collectors reference's table of options.
    assert all(prop.get("description") for prop in properties.values())


@pytest.fixture
def no_scan(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Records each look through the installed packages' entry points."""
    scanned: list[str] = []
    monkeypatch.setattr(registry, "entry_points", lambda group: scanned.append(group) or [])
    registry._published.cache_clear()
    collect_options._validator.cache_clear()
    yield scanned
    registry._published.cache_clear()
    collect_options._validator.cache_clear()


def test_check_does_not_look_through_installed_packages_for_shipped_collectors(
    base_repo: Path, no_scan: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsonschema

    def refuse(schema: object) -> None:
        raise AssertionError("a shipped collector's schema was checked again")

    monkeypatch.setattr(jsonschema.Draft202012Validator, "check_schema", refuse)
    block = "collect:\n  use: file\n  with: {path: exports/policy.json, select: [a]}\n  every: monthly\n"
    result = with_collect(base_repo, block)
    assert [d for d in result.diagnostics if d.rule.startswith("collect-")] == []
    assert no_scan == []


def test_check_looks_through_installed_packages_for_a_name_not_shipped(base_repo: Path, no_scan: list[str]) -> None:
    result = with_collect(base_repo, "collect:\n  use: vendor-export\n  every: monthly\n")
    assert [d.rule for d in result.diagnostics if d.rule.startswith("collect-")] == [collect_unknown.ID]
    assert no_scan == [GROUP]


SLOW = ("jsonschema", "ssl", "http.client", "urllib.request")  # each costs check time to import
# In one process (no worker reads ahead: see rules._ahead), so that what check loads shows here.
PROBE = """
import json, sys
from pathlib import Path
from plaintrust import pipeline
from plaintrust.load import parallel
parallel.workers = lambda: 1
result = pipeline.run(Path(sys.argv[1]))
print(json.dumps({"errors": len(result.diagnostics), "loaded": [m for m in sys.argv[2:] if m in sys.modules]}))
"""


def _loaded_by_check(repo: Path) -> dict:
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", PROBE, str(repo), *SLOW], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_check_of_a_repository_that_collects_nothing_loads_nothing_for_collectors(base_repo: Path) -> None:
    assert _loaded_by_check(base_repo) == {"errors": 0, "loaded": []}


def test_check_of_a_series_that_collects_over_the_network_does_not_load_the_network(base_repo: Path) -> None:
    block = "collect:\n  use: http-json\n  with: {url: 'https://idp.test.example/policy'}\n  every: quarterly\n"
    edit(base_repo, RECORD, PINNED, PINNED + block)
    assert _loaded_by_check(base_repo) == {"errors": 0, "loaded": ["jsonschema"]}


def test_what_a_package_prints_as_it_loads_goes_to_standard_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "noisy_plugin.py").write_text(
        'print("noisy plugin loaded")\n'
        "from plaintrust.collect.api import Collector\n"
        'NOISY = Collector(name="noisy", summary="Noisy.", collect=lambda options, context: b"{}")\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    points = [EntryPoint("noisy", "noisy_plugin:NOISY", GROUP)]
    monkeypatch.setattr(registry, "entry_points", lambda group: points if group == GROUP else [])
    registry._published.cache_clear()
    try:
        assert registry.find("noisy") is not None
    finally:
        registry._published.cache_clear()
    printed = capsys.readouterr()
    assert printed.out == ""  # `check --format json` and the worker's evidence stay clean
    assert "noisy plugin loaded" in printed.err
