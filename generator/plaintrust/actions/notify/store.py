"""The record on disk: notifications/sent.json, and the journal of the messages sent since it was written.

Every message accepted by the server is appended to notifications/sending.jsonl and flushed to disk
before the next one goes out, so an interruption loses at most the message under way (it may then
arrive twice: a message cannot be recorded before the server accepts it). Appending costs the same
for the ten-thousandth recipient as for the first, where rewriting the whole record would not. At
the end of each topic the journal is folded into sent.json (written atomically) and removed; a run
that stopped halfway leaves it, and the next run reads it back. Commit the folder.

Two runs at once (a CI job started twice, a person beside it) would each read the record before the
other wrote it and send the same news twice: a run that sends holds `locked` from reading the record
to its last write. The lock file is in the cache folder, never in notifications/, which is committed.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plaintrust import locks
from plaintrust.actions.notify import NotifyError
from plaintrust.actions.notify.state import JOURNAL, PATH, Record, Stamped, from_stamp, parse, render, stamps
from plaintrust.load.paths import CACHE_FOLDER
from plaintrust.output import write_file

LOCK = f"{CACHE_FOLDER}/notify.lock"  # relative to the repository root; there only while held

_APPEND = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """The block with the record's lock held: a second run waits here until the first is done."""
    with locks.exclusive(root / LOCK):
        yield


def load(root: Path) -> Record:
    """The record of the repository at `root` with its journal replayed; empty when there is none."""
    try:
        data = json.loads((root / PATH).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        data = None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _broken(PATH, f"cannot read it ({exc})") from None
    try:
        record = parse(data) if data is not None else Record()
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _broken(PATH, f"it is not as plaintrust notify writes it ({exc!r})") from None
    _replay(root, record)
    return record


def _replay(root: Path, record: Record) -> None:
    """What the journal says was sent, into `record`. Each message is one line, written whole with its
    line break: what follows the last line break is a line cut short by a killed run, a message
    taken as not sent."""
    try:
        *lines, _cut_short = (root / JOURNAL).read_bytes().split(b"\n")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _broken(JOURNAL, f"cannot read it ({exc.strerror or exc})") from None
    for number, line in enumerate(lines, start=1):
        try:
            data = json.loads(line.decode("utf-8"))
            record.delivered(data["topic"], data["recipient"], {i: from_stamp(u) for i, u in data["entries"].items()})
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _broken(JOURNAL, f"line {number} is not as plaintrust notify writes it ({exc!r})") from None


def _broken(path: str, why: str) -> NotifyError:
    return NotifyError(
        f"{path}: {why}; nothing was sent. Restore it from git: without it, what was sent would be sent again."
    )


def note(root: Path, topic: str, recipient: str, entries: Stamped) -> None:
    """One message accepted: appended to the journal and flushed to disk before anything else is sent."""
    line = {"topic": topic, "recipient": recipient, "entries": stamps(entries.items())}
    data = (json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        (root / JOURNAL).parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(root / JOURNAL, _APPEND, 0o666)
        try:
            _write_all(handle, data)
            os.fsync(handle)
        finally:
            os.close(handle)
    except OSError as exc:
        raise NotifyError(
            f"{JOURNAL}: cannot write it ({exc.strerror or exc}); what was sent is not recorded"
        ) from None


def _write_all(handle: int, data: bytes) -> None:
    """All of `data`: a write may take only part of it (a full disk, a signal), and half a line is a
    line the next run would take as cut short."""
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        if written == 0:
            raise OSError(errno.EIO, "the journal took none of the bytes written to it")
        view = view[written:]


def save(root: Path, record: Record) -> None:
    """Write the record atomically, then drop the journal it now holds; NotifyError when it cannot."""
    try:
        write_file(root / PATH, render(record))
        (root / JOURNAL).unlink(missing_ok=True)
    except OSError as exc:
        raise NotifyError(f"{PATH}: cannot write it ({exc.strerror or exc}); what was sent is not recorded") from None
