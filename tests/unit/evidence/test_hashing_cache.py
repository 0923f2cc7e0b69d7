"""Hashing is exact for every size; the stat cache saves rehashing but never changes a result."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from helpers import write
from plaintrust import pipeline
from plaintrust.evidence import hashing
from plaintrust.evidence.cache import NAME
from plaintrust.load.paths import CACHE_FOLDER
from plaintrust.reporters import text

POLICY = "evidence/files/mfa-policy.json"


@pytest.mark.parametrize("size", [0, 1, hashing.CHUNK - 1, hashing.CHUNK, hashing.CHUNK + 1, 3 * hashing.CHUNK + 17])
def test_streamed_hash_equals_hashlib(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    file = tmp_path / "blob"
    file.write_bytes(data)
    assert hashing.sha256_file(file) == hashlib.sha256(data).hexdigest()


def age(repo: Path, rel: str = POLICY) -> None:
    """Old enough to be cached (files written in the last two seconds are not)."""
    past = time.time() - 60
    os.utime(repo / rel, (past, past))


def count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    real = hashing.sha256_file
    monkeypatch.setattr(hashing, "sha256_file", lambda path: calls.append(path) or real(path))
    return calls


def test_unchanged_files_are_not_rehashed(base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(base_repo)
    calls = count_hashing(monkeypatch)
    first = pipeline.run(base_repo)
    assert len(calls) == 1 and (base_repo / CACHE_FOLDER / NAME).is_file()
    second = pipeline.run(base_repo)
    assert len(calls) == 1
    assert second.model.evidence[0].files[0].fact.sha256 == first.model.evidence[0].files[0].fact.sha256
    pipeline.run(base_repo, rehash=True)
    assert len(calls) == 2


def test_recent_files_are_not_cached(base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(base_repo, POLICY, (base_repo / POLICY).read_text())
    calls = count_hashing(monkeypatch)
    pipeline.run(base_repo)
    pipeline.run(base_repo)
    assert len(calls) == 2


def test_tampering_that_restores_size_and_mtime_is_still_seen(base_repo: Path) -> None:
    age(base_repo)
    assert pipeline.run(base_repo).diagnostics == ()
    file = base_repo / POLICY
    info = os.stat(file)
    file.write_bytes(file.read_bytes().replace(b"required", b"optional"))
    os.utime(file, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert [d.rule for d in pipeline.run(base_repo).diagnostics] == ["evidence-tampered"]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[]",
        b'{"version": 1, "files": []}',
        b'{"version": 1, "files": {"evidence/files/mfa-policy.json": [1, 2, "x"]}}',
        b'{"version": 99, "files": {}}',
        b"\xff\xfe",
    ],
)
def test_a_corrupt_cache_means_recomputing(base_repo: Path, content: bytes) -> None:
    age(base_repo)
    clean = text(pipeline.run(base_repo).diagnostics)
    (base_repo / CACHE_FOLDER / NAME).write_bytes(content)
    assert text(pipeline.run(base_repo).diagnostics) == clean
    assert json.loads((base_repo / CACHE_FOLDER / NAME).read_text())["version"] == 1  # rewritten


def test_a_cache_entry_for_other_bytes_is_not_trusted(base_repo: Path) -> None:
    """The stamp in the key must match exactly; an entry from before an edit is ignored."""
    age(base_repo)
    pipeline.run(base_repo)
    (base_repo / POLICY).write_text('{"policy": "mfa-optional"}\n')
    age(base_repo)
    assert [d.rule for d in pipeline.run(base_repo).diagnostics] == ["evidence-tampered"]


def test_an_unwritable_cache_folder_is_harmless(base_repo: Path) -> None:
    (base_repo / CACHE_FOLDER).write_text("a file where the folder should be")
    assert pipeline.run(base_repo).diagnostics == ()


def test_deleting_the_cache_is_safe(base_repo: Path) -> None:
    age(base_repo)
    pipeline.run(base_repo)
    shutil.rmtree(base_repo / CACHE_FOLDER)
    assert pipeline.run(base_repo).diagnostics == ()
