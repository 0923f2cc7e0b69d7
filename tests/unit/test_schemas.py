"""The compiled fast path and jsonschema agree on every file the tests know."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import CASES, TESTS
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
