"""The `file` collector: a snapshot of a file, or selected JSON/YAML fields; never evidence, never a
non-regular file, never out of the repository through a relative path."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import pytest

from plaintrust.collect.api import CollectorFailed, Context
from plaintrust.collect.file import collect

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "config").mkdir(parents=True)
    (root / "evidence" / "files").mkdir(parents=True)
    (root / "evidence" / "files" / "old.json").write_text("{}")
    return root


def run(root: Path, **options: object) -> bytes:
    return collect(options, Context(root=root, today=TODAY, covers=None, env={}, timeout=5))


def refused(root: Path, message: str, **options: object) -> None:
    with pytest.raises(CollectorFailed) as caught:
        run(root, **options)
    assert str(caught.value) == message


def test_a_file_is_kept_byte_for_byte(repo: Path) -> None:
    (repo / "config" / "sshd_config").write_bytes(b"PermitRootLogin no\r\n\x00")
    assert run(repo, path="config/sshd_config") == b"PermitRootLogin no\r\n\x00"


def test_an_absolute_path_elsewhere_is_read(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.conf").write_text("x = 1\n")
    assert run(repo, path=str(tmp_path / "outside.conf")) == b"x = 1\n"


def test_json_fields_are_selected(repo: Path) -> None:
    (repo / "config" / "idp.json").write_text('{"mfa": {"required": true}, "policies": [{"name": "all"}]}')
    kept = json.loads(run(repo, path="config/idp.json", select=["mfa.required", "policies[*].name"]))
    assert kept == {"mfa.required": True, "policies[*].name": ["all"]}


def test_yaml_fields_keep_their_types(repo: Path) -> None:
    (repo / "config" / "idp.yml").write_text("mfa:\n  required: yes\n  grace: 7\n  since: 2026-01-05\n")
    kept = run(repo, path="config/idp.yml", select=["mfa"])
    assert json.loads(kept) == {"mfa": {"required": True, "grace": 7, "since": "2026-01-05"}}


def test_format_reads_a_file_whose_extension_does_not_say(repo: Path) -> None:
    (repo / "config" / "idp.conf").write_text("a: 1\n")
    assert json.loads(run(repo, path="config/idp.conf", select=["a"], format="yaml")) == {"a": 1}
    refused(
        repo,
        "say how to read 'config/idp.conf' for select: format: json or format: yaml",
        path="config/idp.conf",
        select=["a"],
    )


@pytest.mark.parametrize("path", ["evidence/files/old.json", "./evidence/files/old.json", "config/../evidence/x"])
def test_a_path_inside_evidence_is_refused(repo: Path, path: str) -> None:
    refused(repo, f"{path!r} is inside evidence/: a file collector cannot keep evidence as evidence", path=path)


def test_evidence_reached_another_way_is_refused(repo: Path) -> None:
    (repo / "config" / "link.json").symlink_to("../evidence/files/old.json")
    absolute = str(repo / "evidence" / "files" / "old.json")
    message = "is inside evidence/: a file collector cannot keep evidence as evidence"
    refused(repo, f"'config/link.json' {message}", path="config/link.json")
    refused(repo, f"{absolute!r} {message}", path=absolute)


def test_a_relative_path_may_not_leave_the_repository(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("s")
    (repo / "config" / "away.txt").symlink_to(tmp_path / "secret.txt")
    hint = "leads out of the repository; write an absolute path for a file elsewhere"
    refused(repo, f"'config/away.txt' {hint}", path="config/away.txt")
    refused(repo, f"'../secret.txt' {hint}", path="../secret.txt")


def test_a_link_that_stays_inside_the_repository_is_followed(repo: Path) -> None:
    (repo / "config" / "real.txt").write_text("real\n")
    (repo / "config" / "alias.txt").symlink_to("real.txt")
    assert run(repo, path="config/alias.txt") == b"real\n"


def test_a_folder_is_not_a_file(repo: Path) -> None:
    refused(repo, "'config' is not a regular file: it is a folder", path="config")


def test_a_pipe_is_refused_without_waiting_for_a_writer(repo: Path) -> None:
    os.mkfifo(repo / "config" / "pipe")
    started = time.monotonic()
    refused(repo, "'config/pipe' is not a regular file: it is a pipe", path="config/pipe")
    assert time.monotonic() - started < 1


def test_a_missing_file_fails(repo: Path) -> None:
    refused(repo, "the file 'config/absent.txt' does not exist", path="config/absent.txt")


def test_a_missing_field_fails(repo: Path) -> None:
    (repo / "config" / "idp.json").write_text('{"mfa": {}}')
    refused(
        repo,
        "the field 'mfa.required' is not in the document: mfa has no key 'required'",
        path="config/idp.json",
        select=["mfa.required"],
    )


def test_broken_json_fails(repo: Path) -> None:
    (repo / "config" / "idp.json").write_text('{"mfa": ')
    with pytest.raises(CollectorFailed, match=r"^the file 'config/idp.json' is not valid JSON: "):
        run(repo, path="config/idp.json", select=["mfa"])


def test_a_yaml_alias_bomb_fails_quickly(repo: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    (repo / "config" / "bomb.yaml").write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    with pytest.raises(CollectorFailed, match=r"^the file 'config/bomb.yaml' is not usable YAML \(line \d+: .*alias"):
        run(repo, path="config/bomb.yaml", select=["a9"])
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "text", ["a: !!python/object:os.system 'echo'\n", "- " * 100 + "x\n", "a: 1\n---\nb: 2\n", "a: [\n"]
)
def test_unsafe_or_broken_yaml_fails(repo: Path, text: str) -> None:
    (repo / "config" / "bad.yaml").write_text(text)
    with pytest.raises(CollectorFailed, match=r"^the file 'config/bad.yaml' is not usable YAML"):
        run(repo, path="config/bad.yaml", select=["a"])


def test_text_that_is_not_utf8_fails_for_select(repo: Path) -> None:
    (repo / "config" / "idp.json").write_bytes(b'{"a": "\xff"}')
    refused(repo, "the file 'config/idp.json' is not UTF-8 text", path="config/idp.json", select=["a"])


def test_a_yaml_key_written_twice_fails_rather_than_keeping_one_value(repo: Path) -> None:
    (repo / "config" / "idp.yaml").write_text("mfa:\n  required: true\n  required: false\n")
    refused(
        repo,
        "the file 'config/idp.yaml' is not usable YAML (line 3: duplicate key 'required' (first on line 2))",
        path="config/idp.yaml",
        select=["mfa.required"],
    )


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_selected_value_json_cannot_hold_fails(repo: Path, value: str) -> None:
    (repo / "config" / "limits.yaml").write_text(f"rate: {value}\nburst: 5\n")
    message = "the values to keep include NaN or Infinity, which JSON cannot hold"
    refused(repo, message, path="config/limits.yaml", select=["rate"])
    assert json.loads(run(repo, path="config/limits.yaml", select=["burst"])) == {"burst": 5}


def test_a_json_nan_selected_fails_too(repo: Path) -> None:
    (repo / "config" / "limits.json").write_text('{"rate": NaN}')
    message = "the values to keep include NaN or Infinity, which JSON cannot hold"
    refused(repo, message, path="config/limits.json", select=["rate"])


def test_yaml_keys_that_are_not_text_are_selected_as_the_evidence_shows_them(repo: Path) -> None:
    (repo / "config" / "flags.yaml").write_text("null: none\nyes: on\n2026: audited\n")
    kept = json.loads(run(repo, path="config/flags.yaml", select=["null", "true", "2026"]))
    assert kept == {"null": "none", "true": True, "2026": "audited"}
    with pytest.raises(CollectorFailed, match="has no key 'None'"):
        run(repo, path="config/flags.yaml", select=["None"])


def test_a_link_to_a_pipe_without_a_path_is_not_a_regular_file(repo: Path) -> None:
    """As `/dev/stdin` is when the input is a pipe: its link leads to `pipe:[N]`, a name that is no
    path, yet the pipe exists."""
    read, write = os.pipe()
    (repo / "config" / "input").symlink_to(f"/proc/self/fd/{read}")
    try:
        refused(repo, "'config/input' is not a regular file: it is a pipe", path="config/input")
    finally:
        os.close(read)
        os.close(write)


def test_a_link_to_nothing_says_so(repo: Path) -> None:
    (repo / "config" / "gone.txt").symlink_to("missing.txt")
    refused(repo, "'config/gone.txt' is a symbolic link to nothing", path="config/gone.txt")
