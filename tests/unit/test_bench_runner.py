"""`make bench` says what it measures as it goes, and cleans up its multi-gigabyte work folder."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[2] / "bench"


@pytest.fixture
def bench(monkeypatch, tmp_path: Path):
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_run", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "WORK", tmp_path / ".work")
    return module


def _main(bench, monkeypatch, *args: str) -> None:
    def measure(parsed) -> None:
        (bench.WORK / "repo-10").mkdir()
        (bench.WORK / "repo-10" / "big.bin").write_bytes(b"\0" * 1024)

    monkeypatch.setattr(bench, "measure", measure)
    monkeypatch.setattr(sys, "argv", ["run.py", *args])
    bench.main()


def test_the_work_folder_is_removed_at_the_end(bench, monkeypatch, capsys) -> None:
    _main(bench, monkeypatch)
    assert not bench.WORK.exists()
    assert "removed" in capsys.readouterr().err


def test_keep_keeps_it_for_the_next_run(bench, monkeypatch) -> None:
    _main(bench, monkeypatch, "--keep")
    assert (bench.WORK / "repo-10" / "big.bin").is_file()


def test_every_measurement_is_announced_as_it_finishes(bench, monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setattr(bench, "run", lambda command, cwd, env=None: bench.Timing(0.25, 80.0))
    bench.repeat(3, [str(tmp_path / "bin" / "plaintrust"), "check"], tmp_path / "repo-100")
    assert capsys.readouterr().err == "  repo-100: plaintrust check, median of 3: 0.25 s, 80 MB\n"
