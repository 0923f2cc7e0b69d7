"""The compiled fast path and jsonschema agree on every file the tests know."""

from __future__ import annotations

import importlib
from pathlib import Path

import fastjsonschema
import pytest

from helpers import CASES, TESTS
from plaintrust import schemas
from plaintrust.load.discovery import find
from plaintrust.load.frontmatter import parse_page
from plaintrust.load.yamlfile import parse_bytes
from plaintrust.schemas import is_valid, validator

ROOTS = sorted(
    {p.parent for p in CASES.rglob("expected.txt")} | {CASES / "base", TESTS.parent, TESTS / "fixtures" / "gap-mini"}
)


def documents(root: Path):
    """(kind, data) for every control, record, notice and policy front matter and the trust profile under `root`."""
    found = find(root)
    for kind, paths in (
        ("control", found.controls),
        ("evidence", found.evidence),
        ("trust", [found.trust] if found.trust else []),
    ):
        for rel in paths:
            parsed = parse_bytes(rel, (root / rel).read_bytes())
            if parsed.document is not None:
                yield kind, rel, parsed.document.data
    for kind, paths in (("update", found.updates), ("policy", found.policies)):
        for rel in paths:
            page = parse_page(rel, (root / rel).read_bytes())
            if page.parsed.document is not None:
                yield kind, rel, page.parsed.document.data


@pytest.mark.parametrize("root", ROOTS, ids=[str(r.relative_to(TESTS.parent)) or "." for r in ROOTS])
def test_fast_and_full_validators_agree(root: Path) -> None:
    for kind, rel, data in documents(root):
        full = not any(True for _ in validator(kind).iter_errors(data))
        assert is_valid(kind, data) == full, f"{rel} ({kind})"


COMPILED = Path(schemas.__file__).parent / "compiled"


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_shipped_validators_are_generated_from_the_current_schemas(kind: str, golden) -> None:
    """`make golden` rewrites them after a schema (or fastjsonschema) changed."""
    golden.check(schemas.compiled_source(kind), COMPILED / f"{kind}.py")


def test_the_shipped_validators_are_used_without_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("compiled at run time")

    monkeypatch.setattr(fastjsonschema, "compile", refuse)
    schemas.fast_validator.cache_clear()
    try:
        for kind in schemas.KINDS:
            assert not is_valid(kind, {"id": 1})
    finally:
        schemas.fast_validator.cache_clear()


def test_a_stale_shipped_validator_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A schema edited without `make golden`: the code is compiled from the schema as it is now."""
    stale = importlib.import_module("plaintrust.schemas.compiled.control")
    monkeypatch.setattr(stale, "SCHEMA_DIGEST", "0" * 64)
    compiled = []
    real = fastjsonschema.compile
    monkeypatch.setattr(fastjsonschema, "compile", lambda *a, **k: compiled.append(1) or real(*a, **k))
    schemas.fast_validator.cache_clear()
    try:
        assert not is_valid("control", {"id": "AC-1"})
        assert compiled == [1]
    finally:
        schemas.fast_validator.cache_clear()
