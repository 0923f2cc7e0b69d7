"""The sandbox every collection runs in: a child process, never a shell, with a minimal environment.

`collect()` is what `plaintrust evidence collect` calls for one series. The `command` collector's
argv runs as it is; any other collector runs in `python -m plaintrust.collect.worker NAME`, so a
collector that hangs, crashes or floods its output cannot take the command down with it. Either
way the child gets a fresh temporary folder as `HOME` and `TMPDIR` (deleted afterwards), a time
limit after which its whole process group is killed, and an output cap. Secrets (the allowed
variables' values) are replaced by `[NAME]` in everything sent back but the output itself, and an
output that holds one is refused. A value shorter than 8 characters (`NO_COLOR=1`,
`LOG_LEVEL=debug`) is passed to the collector like any other but is no secret: it is too common to
look for, so it is neither searched for in the output nor replaced in messages. The same holds for
each form a secret is searched for in (trimmed, each of its lines, on one line, percent-encoded).

A named collector's worker gets, besides that environment, the parent's `PYTHONPATH` (absolute
entries only) and `PLAINTRUST_ALLOWED`, the names of the allowed variables. It imports the same
Plaintrust as the parent; the folder holding it and the parent's user site-packages (which the
fresh `HOME` hides) are searched after the standard library, so nothing installed beside
Plaintrust can stand in for a standard module, and the repository root is never searched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import selectors
import signal
import site
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import plaintrust
from plaintrust.collect import file as file_collector
from plaintrust.collect import registry
from plaintrust.collect.api import Collector
from plaintrust.collect.options import coerce

MAX_OUTPUT = 32 * 1024 * 1024
TAIL_LINES = 20
TAIL_CHARS = 2_000
OUTPUT = "{output}"  # an argv word holding this gets the path of the file to write the evidence to
_CHUNK = 65_536
_KEEP_STDERR = 65_536  # bytes of stderr kept while reading: enough for the tail
_IDLE = 0.1  # seconds between checks whether the program itself has ended
_WORKER_FAILED = (2, 3, 4)  # the worker's exit statuses that come with a one-line reason on stderr
SECRET_MIN = 8  # characters: a value, or a form of one, shorter than this is too common to look for
_FALLBACK_SUFFIX = ".txt"
# A PEM armour line is the same in every certificate: as a line of a secret it would match any output holding one.
_ARMOUR = re.compile(r"-----(BEGIN|END) [A-Z0-9 ]+-----")


@dataclass(frozen=True)
class Ran:
    ok: bool
    output: bytes
    stderr_tail: str
    problem: str | None  # one sentence when not ok
    status: int | None = None  # the exit status; None when the program did not start


def collect(
    collector_name: str,
    options: Mapping[str, object],
    *,
    root: Path,
    today: dt.date,
    covers: tuple[dt.date, dt.date] | None,
    allowed_env: Mapping[str, str],
    timeout: float,
    series: str,
    output: str | None = None,
    limit: int = MAX_OUTPUT,
) -> Ran:
    """Run the named collector for one series; the problem and stderr tail come back redacted."""
    collector = registry.find(collector_name)
    if collector is None:
        return _failed(f"no collector is named {collector_name!r}")
    options = coerce(options, collector.options)  # the YAML loader read every value as text
    extra = _series_env(series, today, covers)
    with tempfile.TemporaryDirectory(prefix="plaintrust-collect-", ignore_cleanup_errors=True) as folder:
        home = Path(folder)
        if collector.name == "command":
            target = home / f"evidence{suffix_for(collector, options, output)}"
            env = environment(allowed_env, home, extra)
            ran = _command(options, root, env, timeout, target, limit, allowed_env)
        else:
            request = _request(options, root, today, covers, timeout)
            env = _worker_env(allowed_env, home, extra)
            ran = _worker(collector.name, request, root, env, timeout, limit, allowed_env)
    return _redacted(ran, allowed_env)


def suffix_for(collector: Collector, options: Mapping[str, object], output: str | None) -> str:
    """The evidence file's extension: `output:`'s when given, else what the collector writes.
    One that is not a dot and letters or digits gives .txt: the file name must stay in its folder."""
    if output and PurePosixPath(output).suffix:
        chosen = PurePosixPath(output).suffix
    elif collector.name == "file":  # a copy keeps its source's extension
        chosen = file_collector.suffix(options)
    else:
        chosen = collector.suffix
    return chosen if isinstance(chosen, str) and registry.SUFFIX.fullmatch(chosen) else _FALLBACK_SUFFIX


def leaked(output: bytes, secrets: Mapping[str, str]) -> str | None:
    """The name of an allowed variable whose value appears in the output, in any of its forms, if any."""
    for name, value in sorted(secrets.items()):
        if any(form.encode("utf-8", errors="surrogateescape") in output for form in forms(value)):
            return name
    return None


def redact(text: str, secrets: Mapping[str, str]) -> str:
    """Each form of each secret replaced by `[NAME]`, longest first so one value inside another still goes."""
    found = {(form, name) for name, value in secrets.items() for form in forms(value)}
    for form, name in sorted(found, key=lambda pair: (-len(pair[0]), pair[1])):
        text = text.replace(form, f"[{name}]")
    return text


def forms(value: str) -> set[str]:
    """The ways a secret's value may show up: as it is set; trimmed (a CI secret's trailing newline,
    which a collector strips before sending it); each line of a value of several lines (a PEM key, of
    which a message may quote a part); on one line, as one-line messages put it; and percent-encoded,
    as an address or a form carries it. A value shorter than SECRET_MIN characters (not counting
    surrounding whitespace) has none, and of a longer one only the forms at least as long count: a
    short one (`1`, `debug`) is everywhere, and would refuse outputs and hide text holding no secret.
    For the same reason a line of PEM armour (`-----BEGIN CERTIFICATE-----`) is no form of its own."""
    trimmed = value.strip()
    if len(trimmed) < SECRET_MIN:
        return set()
    lines = {line.strip() for line in value.splitlines() if not _ARMOUR.fullmatch(line.strip())}
    raw = "surrogateescape"  # a variable's bytes that are not UTF-8 are encoded as the bytes they are
    encoded = {
        urllib.parse.quote(trimmed, safe="", errors=raw),
        urllib.parse.quote(trimmed, errors=raw),  # in an address's path, which keeps its slashes
        urllib.parse.quote_plus(trimmed, errors=raw),
    }
    found = {value, trimmed, " ".join(value.split()), *lines, *encoded}
    return {form for form in found if len(form.strip()) >= SECRET_MIN}


def environment(allowed: Mapping[str, str], home: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """The child's whole environment; an allowed variable cannot replace the fixed ones."""
    fixed = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "HOME": str(home),
        "TMPDIR": str(home),
    }
    return {**allowed, **fixed, **extra}


def run(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    stdin: bytes = b"",
    limit: int = MAX_OUTPUT,
    label: str | None = None,
    require_output: bool = True,
    secrets: Mapping[str, str] | None = None,
) -> Ran:
    """Run argv in its own session; stdout is the output. `label` names the program in problems;
    `secrets` are redacted from what stderr the program wrote before its tail is cut."""
    label = label or f"the program {argv[0]!r}"
    try:
        proc = _start(argv, cwd, env)
    except OSError as exc:
        return _failed(_not_started(argv[0], cwd, exc))
    try:
        out, err, problem = _pump(proc, stdin, timeout, limit)
    finally:
        _end(proc)
    return _judge(label, proc.returncode, out, _tail(err, secrets or {}), problem, require_output)


def _start(argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    # Its own session, so the whole process group can be killed; a list, so no shell is involved.
    pipe = subprocess.PIPE
    return subprocess.Popen(
        list(argv), cwd=cwd, env=dict(env), stdin=pipe, stdout=pipe, stderr=pipe, start_new_session=True, close_fds=True
    )


def _command(
    options: Mapping[str, object],
    root: Path,
    env: Mapping[str, str],
    timeout: float,
    target: Path,
    limit: int,
    secrets: Mapping[str, str],
) -> Ran:
    given = options.get("run")
    words = [str(word) for word in given] if isinstance(given, list) else []
    if not words:
        return _failed("the run list is empty: write the program and its arguments")
    to_file = any(OUTPUT in word for word in words)
    argv = [word.replace(OUTPUT, str(target)) for word in words]
    label = f"the program {words[0]!r}"
    ran = run(
        argv, cwd=root, env=env, timeout=timeout, limit=limit, label=label, require_output=not to_file, secrets=secrets
    )
    return _from_file(ran, target, label, limit) if ran.ok and to_file else ran


def _from_file(ran: Ran, target: Path, label: str, limit: int) -> Ran:
    """The evidence the program wrote to the {output} file instead of its stdout."""
    try:
        handle = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return replace(ran, ok=False, output=b"", problem=f"{label} wrote nothing (no file at {{output}})")
    except OSError as exc:
        if exc.errno == errno.ELOOP and os.path.islink(target):  # O_NOFOLLOW refused it
            return replace(ran, ok=False, output=b"", problem=f"{label} put a symbolic link at {{output}}")
        return replace(ran, ok=False, output=b"", problem=f"{label} wrote an unreadable file: {exc.strerror}")
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        return replace(ran, ok=False, output=b"", problem=f"{label} put something other than a file at {{output}}")
    with os.fdopen(handle, "rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        return replace(ran, ok=False, output=b"", problem=f"{label} wrote more than {_size(limit)}")
    if not data:
        return replace(ran, ok=False, output=b"", problem=f"{label} wrote nothing")
    return replace(ran, output=data)


def _worker(
    name: str,
    request: bytes,
    root: Path,
    env: Mapping[str, str],
    timeout: float,
    limit: int,
    secrets: Mapping[str, str],
) -> Ran:
    argv = [sys.executable, "-P", "-c", _worker_start(), name]
    label = f"the collector {name!r}"
    ran = run(argv, cwd=root, env=env, timeout=timeout, stdin=request, limit=limit, label=label, secrets=secrets)
    if ran.status in _WORKER_FAILED and ran.stderr_tail.strip():
        # The worker's last stderr line is the collector's reason: it becomes the problem, not the tail.
        *before, reason = ran.stderr_tail.rstrip().splitlines()
        return replace(ran, problem=reason.strip(), stderr_tail="\n".join(before))
    return ran


def _request(
    options: Mapping[str, object], root: Path, today: dt.date, covers: tuple[dt.date, dt.date] | None, timeout: float
) -> bytes:
    # The collector gets a little less time than the process, so its own message can arrive first;
    # the root is absolute because the worker already runs inside it.
    span = [covers[0].isoformat(), covers[1].isoformat()] if covers else None
    body = {
        "options": options,
        "today": today.isoformat(),
        "covers": span,
        "root": str(root.resolve()),
        "timeout": timeout * 0.9,
    }
    return json.dumps(body).encode("utf-8")


def _worker_env(allowed: Mapping[str, str], home: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """The environment plus what the worker needs: the parent's PYTHONPATH, and which variables it may pass on."""
    fixed = {"PLAINTRUST_ALLOWED": ",".join(sorted(allowed))}
    given = _worker_path()
    return environment(allowed, home, {**extra, **fixed, **({"PYTHONPATH": given} if given else {})})


def _worker_path() -> str:
    """The parent's PYTHONPATH, absolute: an empty or relative entry would name the repository root,
    the worker's working folder, ahead of the standard library."""
    given = [os.path.abspath(entry) for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
    return os.pathsep.join(dict.fromkeys(given))


# `-P -c`: neither the working folder (the repository root) nor a script's goes on sys.path. Only
# `import plaintrust` itself looks in our folder first, so the worker runs this plaintrust even where
# another is installed; then our folder and the user site-packages are searched after all the rest.
_START = (
    "import sys; ours, extra = {ours!r}, {extra!r}; sys.path.insert(0, ours); import plaintrust; "
    "sys.path.remove(ours); sys.path.extend(f for f in dict.fromkeys([ours, *extra]) if f not in sys.path); "
    "import runpy; runpy.run_module('plaintrust.collect.worker', run_name='__main__', alter_sys=True)"
)


def _worker_start() -> str:
    """The worker's start: the folder holding this plaintrust (site-packages for a normal install) and
    the parent's user site-packages, which the worker's fresh HOME hides, after the standard library."""
    ours, *extra = _worker_folders()
    return _START.format(ours=ours, extra=extra)


def _worker_folders() -> list[str]:
    ours = str(Path(plaintrust.__file__).resolve().parent.parent)
    user = [site.getusersitepackages()] if site.ENABLE_USER_SITE else []
    return [ours, *(folder for folder in user if os.path.isdir(folder))]


def _series_env(series: str, today: dt.date, covers: tuple[dt.date, dt.date] | None) -> dict[str, str]:
    extra = {"PLAINTRUST_SERIES": series, "PLAINTRUST_TODAY": today.isoformat()}
    if covers:
        extra |= {"PLAINTRUST_COVERS_FROM": covers[0].isoformat(), "PLAINTRUST_COVERS_TO": covers[1].isoformat()}
    return extra


def _pump(proc: subprocess.Popen, stdin: bytes, timeout: float, limit: int) -> tuple[bytes, bytes, str | None]:
    """Feed stdin and read stdout and stderr until both close; a problem when time or room runs out."""
    deadline = time.monotonic() + timeout
    out, err = bytearray(), bytearray()
    cut = False
    with _Streams(proc, stdin, {proc.stdout.fileno(): out, proc.stderr.fileno(): err}) as streams:  # type: ignore[union-attr]
        while streams.open():
            left = deadline - time.monotonic()
            if left <= 0:
                return b"", _whole_lines(err, cut), _late(timeout, ended=proc.poll() is not None)
            if not streams.step(min(left, _IDLE)) and proc.poll() is not None:
                _kill_group(proc)  # the program ended; what it left running must not hold the pipes open
            if len(out) > limit:
                return b"", _whole_lines(err, cut), f"wrote more than {_size(limit)}"
            if len(err) > _KEEP_STDERR:
                del err[: len(err) - _KEEP_STDERR]
                cut = True
    try:
        proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return b"", _whole_lines(err, cut), _late(timeout)
    return bytes(out), _whole_lines(err, cut), None


def _whole_lines(err: bytearray, cut: bool) -> bytes:
    """The stderr kept, from the start of a line: the line the cut fell in may begin with the end of a
    secret, which redaction could no longer recognise."""
    if not cut:
        return bytes(err)
    start = err.find(b"\n")
    return b"" if start < 0 else bytes(err[start + 1 :])


class _Streams:
    """The child's three pipes behind one selector."""

    def __init__(self, proc: subprocess.Popen, stdin: bytes, readers: dict[int, bytearray]) -> None:
        self.selector = selectors.DefaultSelector()
        self.readers = readers
        self.pending = memoryview(stdin)
        for fd in readers:
            self.selector.register(fd, selectors.EVENT_READ)
        self.stdin = proc.stdin
        if stdin and self.stdin is not None:
            os.set_blocking(self.stdin.fileno(), False)
            self.selector.register(self.stdin.fileno(), selectors.EVENT_WRITE)
        else:
            self._close_stdin()

    def __enter__(self) -> _Streams:
        return self

    def __exit__(self, *exc: object) -> None:
        self.selector.close()

    def open(self) -> bool:
        return bool(self.selector.get_map())

    def step(self, wait: float) -> bool:
        """Move what is ready; False when nothing was."""
        events = self.selector.select(wait)
        for key, _ in events:
            fd = key.fd
            if fd in self.readers:
                self._read(fd)
            else:
                self._write(fd)
        return bool(events)

    def _read(self, fd: int) -> None:
        chunk = os.read(fd, _CHUNK)
        if chunk:
            self.readers[fd] += chunk
        else:
            self.selector.unregister(fd)

    def _write(self, fd: int) -> None:
        try:
            sent = os.write(fd, self.pending[:_CHUNK])
        except BlockingIOError:  # the pipe filled up after all: try again when there is room
            sent = 0
        except BrokenPipeError:  # the program does not read its input: not our problem
            sent = len(self.pending)
        self.pending = self.pending[sent:]
        if not self.pending:
            self.selector.unregister(fd)
            self._close_stdin()

    def _close_stdin(self) -> None:
        try:
            if self.stdin is not None:
                self.stdin.close()
        except BrokenPipeError:
            pass


def _end(proc: subprocess.Popen) -> None:
    """Kill whatever is left of the process group, reap the program, close the pipes."""
    _kill_group(proc)
    proc.wait()
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # nothing left in the group
        os.killpg(proc.pid, signal.SIGKILL)


def _judge(label: str, status: int | None, out: bytes, tail: str, problem: str | None, require_output: bool) -> Ran:
    if problem:
        return Ran(False, b"", tail, f"{label} {problem}", status)
    if status:
        return Ran(False, b"", tail, f"{label} {_exit(status)}", status)
    if require_output and not out:
        return Ran(False, b"", tail, f"{label} wrote nothing", status)
    return Ran(True, out, tail, None, status)


def _exit(status: int) -> str:
    if status < 0:
        try:
            return f"was stopped by signal {signal.Signals(-status).name}"
        except ValueError:
            return f"was stopped by signal {-status}"
    return f"exited with status {status}"


def _late(timeout: float, ended: bool = False) -> str:
    if ended:  # a process it started in a session of its own, which the group kill cannot reach
        return "ended, but a process it started kept its output open until the time ran out"
    seconds = f"{timeout:g} second" + ("" if timeout == 1 else "s")
    return f"did not finish within {seconds} and was stopped"


def _not_started(program: str, cwd: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and exc.filename == str(cwd):
        return "the repository folder to run in does not exist"
    if isinstance(exc, FileNotFoundError):
        return f"the program {program!r} was not found"
    if isinstance(exc, PermissionError):
        return f"the program {program!r} cannot be run (permission denied)"
    return f"the program {program!r} could not start: {exc.strerror or exc}"


def _tail(err: bytes, secrets: Mapping[str, str]) -> str:
    """The last lines of stderr, redacted before they are cut, so a secret cut in two cannot escape."""
    redacted = redact(err.decode("utf-8", errors="surrogateescape"), secrets)
    text = redacted.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    lines = text.rstrip("\n").splitlines()[-TAIL_LINES:]
    return "\n".join(lines)[-TAIL_CHARS:]


def _size(limit: int) -> str:
    mib = 1024 * 1024
    return f"{limit // mib} MiB" if limit % mib == 0 else f"{limit:,} bytes"


def _failed(problem: str) -> Ran:
    return Ran(False, b"", "", problem)


def _redacted(ran: Ran, secrets: Mapping[str, str]) -> Ran:
    problem = redact(ran.problem, secrets) if ran.problem else ran.problem
    return replace(ran, stderr_tail=redact(ran.stderr_tail, secrets), problem=problem)
