"""SIGTERM handled as Ctrl+C while a command holds a temporary folder, so the folder is removed.

Python's default for SIGTERM (`kill`, a service manager, a CI job cancelled, a closing IDE) ends
the process at once, without running any cleanup: a preview's site or a side of a comparison would
stay behind in the temporary folder. Inside `as_interrupt` the signal raises KeyboardInterrupt
instead, which every `with` on the way unwinds as it does Ctrl+C.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt inside the block; the handler before it is restored after."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)  # None: set outside Python


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
