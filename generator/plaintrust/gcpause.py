"""Pause Python's cyclic garbage collector while a run builds tens of thousands of objects.

A run allocates many objects and frees almost none until it ends, and none of them form cycles, so
the collector's repeated passes over the young generation are pure overhead: measured at a third of
a warm `check` on 10,000 controls. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
