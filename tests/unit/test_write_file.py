"""`output.write_file`, the one writer of single files: atomic, never sharing a partial file, durable."""

from __future__ import annotations

import os
import select
import stat
import threading
from pathlib import Path

import pytest

from plaintrust import output


def test_replaces_the_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "report.json"
    output.write_file(target, b"first")
    output.write_file(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "record.yaml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    output.write_file(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_new_file_gets_the_usual_mode_not_a_private_one(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        output.write_file(tmp_path / "new.txt", b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644


def test_a_failed_write_keeps_the_old_file_and_removes_the_partial_one(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "report.md"
    target.write_bytes(b"old")

    def fail(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(OSError):
        output.write_file(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_each_write_has_a_partial_file_of_its_own(tmp_path: Path, monkeypatch) -> None:
    """Two runs writing the same file at once: each renames its own whole file, the last one wins."""
    partials: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(output.os, "replace", lambda a, b: partials.append(Path(a).name) or real_replace(a, b))
    target = tmp_path / "sha256.json"
    writers = [threading.Thread(target=output.write_file, args=(target, bytes([n]) * 100_000)) for n in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert len(set(partials)) == 8 and all(name.startswith(".sha256.json.") for name in partials)
    assert len(set(target.read_bytes())) == 1  # one writer's whole file, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["sha256.json"]


@pytest.mark.parametrize(("durable", "synced"), [(True, 1), (False, 0)])
def test_durable_writes_reach_the_disk_before_the_rename(
    tmp_path: Path, monkeypatch, durable: bool, synced: int
) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(output.os, "fsync", lambda fd: calls.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(output.os, "replace", lambda a, b: calls.append("replace") or real_replace(a, b))
    output.write_file(tmp_path / "out.bin", b"data", durable=durable)
    assert calls == ["fsync"] * synced + ["replace"]


def test_a_private_file_is_its_owners_alone_even_when_it_replaces_a_readable_one(tmp_path: Path) -> None:
    import stat

    target = tmp_path / "cache.json"
    target.write_bytes(b"old")
    target.chmod(0o644)
    output.write_file(target, b"new", durable=False, private=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_bytes() == b"new"


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and terminals are POSIX")
def test_a_fifo_is_written_into_never_replaced(tmp_path: Path) -> None:
    """`-o FIFO`: the reader gets the report, and the FIFO stays a FIFO."""
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader first: the write does not wait
    try:
        output.write_file(fifo, b"the report\n")
        assert os.read(reader, 100) == b"the report\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["report.fifo"]


@pytest.mark.skipif(os.name != "posix", reason="terminals are POSIX")
def test_a_character_device_is_written_into_also_through_dev_fd(tmp_path: Path) -> None:
    """`-o /dev/null` or `-o /dev/stdout` (a link under /dev): written into, the device left in place."""
    main, terminal = os.openpty()
    try:
        device = Path(os.ttyname(terminal))
        output.write_file(device, b"direct")
        output.write_file(Path(f"/dev/fd/{terminal}"), b" linked")
        assert stat.S_ISCHR(os.lstat(device).st_mode)
        said = b""
        while len(said) < len(b"direct linked") and select.select([main], [], [], 5)[0]:  # in pieces, maybe
            said += os.read(main, 100)
        assert said == b"direct linked"
    finally:
        os.close(main)
        os.close(terminal)


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_a_link_to_a_fifo_outside_dev_is_replaced_not_written_through(tmp_path: Path) -> None:
    """A link a repository holds (a record, the build stamp) never turns a write into one elsewhere."""
    fifo = tmp_path / "elsewhere.fifo"
    os.mkfifo(fifo)
    (tmp_path / "record.yaml").symlink_to(fifo)
    output.write_file(tmp_path / "record.yaml", b"id: x\n")
    assert (tmp_path / "record.yaml").read_bytes() == b"id: x\n" and not (tmp_path / "record.yaml").is_symlink()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_a_path_through_dev_and_back_out_is_no_device(tmp_path: Path) -> None:
    """/dev/../somewhere/link is a link outside /dev: replaced, never written through."""
    fifo = tmp_path / "elsewhere.fifo"
    os.mkfifo(fifo)
    (tmp_path / "record.yaml").symlink_to(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader: a write through the link would not wait
    try:
        output.write_file(Path("/dev/..", *tmp_path.parts[1:], "record.yaml"), b"id: x\n")
        assert os.read(reader, 100) == b""
    finally:
        os.close(reader)
    assert (tmp_path / "record.yaml").read_bytes() == b"id: x\n" and not (tmp_path / "record.yaml").is_symlink()
