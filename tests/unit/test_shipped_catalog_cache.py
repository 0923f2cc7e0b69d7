"""Shipped catalogs are kept in the document cache by the digest of their bytes: a second run does
not parse their YAML again, builds the same catalogs, and never uses data of other bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plaintrust import pipeline
from plaintrust.catalogs import shipped_bytes


def catalogs(repo: Path) -> list:
    program = pipeline.run(repo).model.program
    assert program is not None
    return [f.catalog for f in program.frameworks]


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the pipeline parses itself from now on, in a process that has built no catalog yet."""
    monkeypatch.setattr(pipeline, "_SHIPPED", {})
    seen: list[str] = []
    original = pipeline.parse_bytes
    monkeypatch.setattr(pipeline, "parse_bytes", lambda path, raw: seen.append(path) or original(path, raw))
    return seen


def test_a_second_run_reads_the_shipped_catalogs_from_the_cache(base_repo: Path, monkeypatch) -> None:
    first_parses = parses(monkeypatch)
    first = catalogs(base_repo)
    assert first_parses == [f"{c.id}.yaml" for c in first]
    second_parses = parses(monkeypatch)  # as a new process would: nothing built yet
    assert catalogs(base_repo) == first
    assert second_parses == []


def test_a_changed_shipped_catalog_is_parsed_again(base_repo: Path, monkeypatch) -> None:
    before = catalogs(base_repo)
    renamed = lambda name: shipped_bytes(name).replace(b'name: "SOC 2', b'name: "Renamed SOC 2')  # noqa: E731
    seen = parses(monkeypatch)
    monkeypatch.setattr(pipeline, "shipped_bytes", renamed)
    after = catalogs(base_repo)
    assert seen == ["soc2-2017.yaml"]  # the other catalog's bytes are unchanged: it comes from the cache
    assert [c.name for c in after] == [f"Renamed {before[0].name}", before[1].name]


@pytest.mark.parametrize("damage", ["emptied", "truncated", "not a mapping"])
def test_a_damaged_cache_entry_is_parsed_again_and_mended(base_repo: Path, monkeypatch, damage: str) -> None:
    before = catalogs(base_repo)
    extras = next((base_repo / ".plaintrust-cache").rglob("extras.json"))
    payload = json.loads(extras.read_text(encoding="utf-8"))
    kept = payload["entries"]["shipped_catalogs"]
    for key, entry in kept.items():
        if damage == "emptied":
            entry["data"] = {}
        elif damage == "truncated":
            entry["data"]["requirements"] = entry["data"]["requirements"][:3]
        else:
            kept[key] = ["not", "a", "catalog"]
    extras.write_text(json.dumps(payload), encoding="utf-8")
    seen = parses(monkeypatch)
    assert catalogs(base_repo) == before
    assert sorted(seen) == sorted(f"{c.id}.yaml" for c in before)
    assert parses(monkeypatch) == [] and catalogs(base_repo) == before  # the entry was written whole again
