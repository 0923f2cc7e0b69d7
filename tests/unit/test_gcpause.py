"""The collector is paused during a run and back on afterwards, with nothing kept frozen for good."""

from __future__ import annotations

import gc

from plaintrust import gcpause


def test_the_collector_is_off_inside_and_on_after() -> None:
    with gcpause.paused():
        assert not gc.isenabled()
        survivor = [object() for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(survivor), "the run's survivors are frozen, not walked again at once"


def test_the_next_run_unfreezes_what_the_last_one_froze() -> None:
    with gcpause.paused():
        pass
    with gcpause.paused():
        assert gc.get_freeze_count() == 0
    gc.unfreeze()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with gcpause.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
