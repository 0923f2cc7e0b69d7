"""Checking many files on both cores: parsing is the cost, and it splits cleanly by file.

Workers are forked, which costs nothing to start, only when that is safe: on Linux, and only from
a single-threaded process (forking while another thread holds a lock can deadlock the child; the
MkDocs live server runs threads, so `plaintrust serve` stays in one process). Small runs stay in
one process too: below a couple of thousand files the pool does not pay for itself. `in_worker`
hands one piece of work that does not depend on what comes next to a worker, for a cold `check`.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plaintrust.load.checked import Checked, check_files

PARALLEL_FROM = 2000  # files to read before a second process pays for itself
CHUNK = 500


def workers() -> int:
    """Cores this process may use; 1 when forking is not safe here: other threads (their locks would
    be copied held), or SIGCHLD ignored (inherited from some launchers), where the system reaps
    children itself and waiting for one fails."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    if signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN:
        return 1
    return len(os.sched_getaffinity(0))


def check_many(root: Path, jobs: list[tuple[str, str]]) -> list[Checked]:
    """`check_files` over `jobs` ((rel, kind) pairs), spread over processes when worth it.

    This process takes a share itself: its results need no pickling, and it would otherwise sit
    idle waiting for the workers.
    """
    count = workers()
    if len(jobs) < PARALLEL_FROM or count < 2:
        return check_files(root, jobs)
    share = len(jobs) // count
    mine, theirs = jobs[:share], jobs[share:]
    chunks = [theirs[i : i + CHUNK] for i in range(0, len(theirs), CHUNK)]
    import multiprocessing  # only a cold run of thousands of files comes here
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=count - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        results = pool.map(check_files, [root] * len(chunks), chunks)
        own = check_files(root, mine)
        return own + [checked for chunk in results for checked in chunk]


def in_worker(compute: Callable[[], Any]) -> Callable[[], Any] | None:
    """Start `compute` in a forked worker while this process goes on; a function that waits for what
    it returned (through JSON; None if the worker failed). None when forking is not safe here.

    For work whose result the caller would otherwise compute itself, the same way: a worker that
    fails costs only the wait."""
    if workers() < 2:
        return None
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns, never runs this process's exit handlers
        os.close(reading)
        _work(writing, compute)
    os.close(writing)
    return lambda: _result(reading, pid)


def _work(fd: int, compute: Callable[[], Any]) -> None:
    status = 1
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(json.dumps(compute()).encode())
        status = 0
    finally:
        os._exit(status)


def _result(fd: int, pid: int) -> Any:
    with os.fdopen(fd, "rb") as pipe:
        payload = pipe.read()
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped by someone else: its exit status is lost, so is its result
        return None
    try:
        return json.loads(payload) if status == 0 else None
    except ValueError:
        return None
