"""The rules' registry: every rule once by its id, and each says up front whether it may read files.

A document from the cache carries no positions: the first position a rule asks of it reads its file
again. A rule that declares `READS_FILES = False` asks only to place a problem it reports, so on a
repository where it reports nothing it reads no file at all.
"""

from __future__ import annotations

import builtins
import io
import os
from pathlib import Path

import pytest

from helpers import CASES, build_case
from plaintrust import pipeline, rules
from plaintrust.model import Model

NO_READS = [rule for rule in rules.ALL if not rule.READS_FILES]


def test_every_rule_is_registered_once_by_its_id() -> None:
    assert list(rules.BY_ID) == [rule.ID for rule in rules.ALL]
    assert all(rules.BY_ID[rule.ID] is rule for rule in rules.ALL)


def test_every_rule_declares_whether_it_reads_files() -> None:
    assert all(isinstance(rule.READS_FILES, bool) for rule in rules.ALL)
    assert NO_READS, "most rules read the model only"


def _cached_model(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Model:
    """The model of a second run, built from the cache, with no rule run on it yet."""
    pipeline.run(repo)
    with monkeypatch.context() as patched:
        patched.setattr(rules, "check_all", lambda model: [])
        return pipeline.run(repo).model


def _refuse_reads(patched: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a file was read: {args[:1]}")

    for owner, name in ((builtins, "open"), (io, "open"), (Path, "open"), (Path, "read_bytes"), (Path, "read_text")):
        patched.setattr(owner, name, refuse)


# An expired certificate: certification-expiry looks at its dates; no rule that reads no files may.
EXPIRED = """\
  - framework: iso27001
    kind: ISO/IEC 27001:2022
    auditor: Example Certification Body
    issued: 2022-12-10
    expires: 2025-12-09
    report: on-request
    request_url: https://test.example/request
"""


@pytest.mark.parametrize("case", ["base", "custom-catalog", "expired-certificate"])
def test_a_rule_that_reads_no_files_reads_none(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = build_case(CASES / "valid" / case if case == "custom-catalog" else CASES / "base", tmp_path / "repo")
    if case == "expired-certificate":
        trust = repo / "site" / "trust.yaml"
        trust.write_text(trust.read_text(encoding="utf-8") + EXPIRED, encoding="utf-8")
        os.utime(trust, (1_700_000_000, 1_700_000_000))  # the cache keeps only files not written just now
    model = _cached_model(repo, monkeypatch)
    for rule in NO_READS:
        with monkeypatch.context() as patched:
            _refuse_reads(patched)
            assert list(rule.check(model)) == [], rule.ID


def test_a_position_asked_of_a_cached_document_is_seen_as_a_read(
    base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _cached_model(base_repo, monkeypatch)
    assert model.controls
    with monkeypatch.context() as patched:
        _refuse_reads(patched)
        with pytest.raises(AssertionError, match="a file was read"):
            model.controls[0].source.at("status")
