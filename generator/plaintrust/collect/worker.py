"""The child process a named collector runs in: `python -m plaintrust.collect.worker NAME`.

It reads one JSON request on stdin (`{"options", "today", "covers", "root", "timeout"}`), calls the
collector and writes the evidence bytes to stdout. The parent reads the exit status: 0 done,
2 a bad call (unknown collector, bad request), 3 the collector failed, 4 it broke; for 2 to 4 the
reason is one line on stderr, never a traceback. For 4 it is `the collector 'NAME' broke (TypeName:
message)`, whatever was raised (KeyboardInterrupt too) but SystemExit, with which a collector may
still end the process. Only the variables the parent names in `PLAINTRUST_ALLOWED` reach the
collector's `context.env`; their values are redacted from a failure's reason here, before it is
put on one line, as the parent redacts them again.

Stdout carries the evidence and nothing else: while collectors are loaded and one collects,
whatever Python code or a library prints (a package announcing itself at import, a collector's
own `print`) goes to stderr, as the parent keeps it; only the bytes the collector returns are
written to the real stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from plaintrust.collect import registry
from plaintrust.collect.api import Collector, CollectorFailed, Context
from plaintrust.collect.runner import redact

USAGE, FAILED, BROKEN = 2, 3, 4


def main(argv: list[str], stdin: BinaryIO, stdout: BinaryIO, stderr: TextIO) -> int:
    if len(argv) != 1:
        return _say(stderr, "usage: python -m plaintrust.collect.worker NAME (the request on stdin)", USAGE)
    collector = registry.find(argv[0])
    if collector is None:
        return _say(stderr, f"no collector is named {argv[0]!r}", USAGE)
    try:
        options, context = _request(stdin.read())
    except (ValueError, KeyError, TypeError) as exc:
        return _say(stderr, f"the request is not usable: {exc}", USAGE)
    return _collect(collector, options, context, stdout, stderr)


def _collect(
    collector: Collector, options: Mapping[str, object], context: Context, stdout: BinaryIO, stderr: TextIO
) -> int:
    try:
        output = collector.collect(options, context)
        if not isinstance(output, bytes):
            raise TypeError(f"the collector returned {type(output).__name__}, not bytes")
    except CollectorFailed as exc:
        return _say(stderr, _secret_free(str(exc), context) or f"the collector {collector.name!r} failed", FAILED)
    except SystemExit:  # the collector ends the process itself: its status says how
        raise
    except BaseException as exc:  # noqa: BLE001 - a broken collector (KeyboardInterrupt too): one line, no traceback
        return _say(stderr, _broken(collector.name, exc, context), BROKEN)
    stdout.write(output)
    stdout.flush()
    return 0


def _broken(name: str, exc: BaseException, context: Context | None = None) -> str:
    """What broke, naming the exception: `TypeName: message`, or the type's name alone without one."""
    message = redact(str(exc), context.env if context else _allowed(os.environ))
    raised = f"{type(exc).__name__}: {message}" if message.strip() else type(exc).__name__
    return f"the collector {name!r} broke ({raised})"


def _request(raw: bytes) -> tuple[Mapping[str, object], Context]:
    body = json.loads(raw)
    covers = body["covers"]
    span = (dt.date.fromisoformat(covers[0]), dt.date.fromisoformat(covers[1])) if covers else None
    context = Context(
        root=Path(body["root"]),
        today=dt.date.fromisoformat(body["today"]),
        covers=span,
        env=_allowed(os.environ),
        timeout=float(body["timeout"]),
    )
    options = body["options"]
    if not isinstance(options, dict):
        raise TypeError("options must be a mapping")
    return options, context


def _allowed(environ: Mapping[str, str]) -> dict[str, str]:
    names = [name for name in environ.get("PLAINTRUST_ALLOWED", "").split(",") if name]
    return {name: environ[name] for name in names if name in environ}


def _secret_free(message: str, context: Context) -> str:
    # Before the message is put on one line: a secret of several lines (a PEM key) is found only as written.
    return redact(message, context.env)


def _say(stderr: TextIO, message: str, status: int) -> int:
    print(_one_line(message), file=stderr)
    return status


def _one_line(text: str) -> str:
    return " ".join(text.split())


@contextmanager
def _evidence_only() -> Iterator[BinaryIO]:
    """The real stdout, for the evidence alone; file descriptor 1 and `sys.stdout` point at stderr
    meanwhile, so what anything else prints (Python code or a library's C code) cannot join it."""
    evidence = os.fdopen(os.dup(1), "wb")  # not inheritable: a program a collector starts cannot write to it
    os.dup2(2, 1)
    sys.stdout.flush()  # what start-up code printed (sitecustomize, a .pth file) now goes to stderr
    sys.stdout = sys.stderr
    with evidence:
        yield evidence


def _main() -> int:
    with _evidence_only() as evidence:
        try:
            return main(sys.argv[1:], sys.stdin.buffer, evidence, sys.stderr)
        except SystemExit:
            raise
        except BaseException as exc:  # noqa: BLE001 - loading an installed collector broke: one line
            return _say(sys.stderr, _broken(" ".join(sys.argv[1:2]), exc), BROKEN)


if __name__ == "__main__":
    sys.exit(_main())
