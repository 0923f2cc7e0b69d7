"""`make bench` says what it measures as it goes, cleans up its multi-gigabyte work folder, and
measures the peers on the files Plaintrust reads."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from plaintrust.load import discovery

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
    _main(bench, monkeypatch, "--sizes", "10")
    assert not bench.WORK.exists()
    assert "removed" in capsys.readouterr().err


def test_only_what_the_run_made_is_removed(bench, monkeypatch) -> None:
    (bench.WORK / "elsewhere").mkdir(parents=True)
    _main(bench, monkeypatch, "--sizes", "example,10")
    assert not (bench.WORK / "repo-10").exists()
    assert (bench.WORK / "elsewhere").is_dir()


def test_keep_keeps_it_for_the_next_run(bench, monkeypatch) -> None:
    _main(bench, monkeypatch, "--sizes", "10", "--keep")
    assert (bench.WORK / "repo-10" / "big.bin").is_file()


def test_sizes_are_the_example_and_numbers(bench, monkeypatch, capsys) -> None:
    assert bench.sizes("example,300,10_000") == ["example", "300", "10000"]
    monkeypatch.setattr(sys, "argv", ["run.py", "--sizes", "example,big"])
    with pytest.raises(SystemExit):
        bench.main()
    assert "'big' is neither 'example' nor a number of controls" in capsys.readouterr().err


def test_a_target_is_judged_only_at_the_sizes_it_names(bench) -> None:
    warm = bench.Row("check, warm", "example (80)", bench.Timing(0.10), goal=bench.goal("check-warm", "example"))
    slow = bench.Row("check, warm", "example (80)", bench.Timing(0.20), goal=bench.goal("check-warm", "example"))
    elsewhere = bench.Row("check, warm", "300", bench.Timing(0.20), goal=bench.goal("check-warm", "300"))
    assert (warm.goal.text, warm.met(), slow.met()) == ("<= 0.12 s", "yes", "no")
    assert (elsewhere.goal.text, elsewhere.met()) == ("<= 0.12 s at example, <= 1 s at 10,000", "")


def test_the_floor_site_drops_only_the_plugin_and_keeps_tags(bench) -> None:
    config = (
        "docs_dir: site\nplugins:\n  - search\n  - plaintrust:\n      min_reading_ease: 50\n"
        "markdown_extensions:\n  - emoji: {index: !!python/name:pkg.index }\nextra: {home: !ENV [HOME, x]}\n"
    )
    assert bench.floor_config(config) == (
        "docs_dir: docs\nplugins:\n- search\nmarkdown_extensions:\n"
        "- emoji: {index: !!python/name:pkg.index ''}\nextra: {home: !ENV [HOME, x]}\n"
    )


def test_the_peer_and_the_floor_read_what_check_reads(bench, tmp_path: Path) -> None:
    for rel in (
        "controls/program.yaml",
        "controls/access/ac-1.yaml",
        "controls/.draft/ac-2.yaml",
        "evidence/access/review.yml",
        "evidence/files/export.yaml",
        "evidence/access/notes.txt",
        "answers/mfa.yaml",
        "policies/access.md",
        "site/updates/2026-01-01-outage.md",
        "site/updates/old/2025-01-01-outage.md",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("---\nid: x\n---\n" if rel.endswith(".md") else "id: x\n")
    floor, found, repo = sys.modules["floor"], discovery.find(tmp_path), str(tmp_path)
    assert floor.controls(repo) == list(found.controls) == ["controls/access/ac-1.yaml"]
    assert floor.records(repo) == ["evidence/access/review.yml"]
    assert sorted(floor.yaml_files(repo)) == sorted([found.program, *found.controls, *found.evidence, *found.answers])
    assert floor.pages(repo) == [*found.policies, *found.updates]


def test_every_measurement_is_announced_as_it_finishes(bench, monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setattr(bench, "run", lambda command, cwd, env=None: bench.Timing(0.25, 80.0))
    bench.repeat(3, [str(tmp_path / "bin" / "plaintrust"), "check"], tmp_path / "repo-100")
    assert capsys.readouterr().err == "  repo-100: plaintrust check, median of 3: 0.25 s, 80 MB\n"


def _measured_by_a_small_runner(command: list[str], cwd: Path) -> tuple[bool, float, str]:
    """`run(command)` from a small process, as `make bench` is: this test process may already have grown
    past any child's peak (a whole suite does). A process keeps the peak of the one it was forked from
    across exec, so the runner is started by a second hop, which forks it from a small process."""
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); import run; "
        "t = run.run(sys.argv[3:], Path(sys.argv[2])); print(t.at_most, t.peak_mb, t.peak())"
    )
    hop = "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)"
    runner = [sys.executable, "-c", script, str(BENCH), str(cwd), *command]
    said = subprocess.run(
        [sys.executable, "-c", hop, *runner], capture_output=True, text=True, check=True
    ).stdout.split(maxsplit=2)
    return said[0] == "True", float(said[1]), said[2].strip()


def test_a_child_peak_no_higher_than_the_runner_own_is_shown_as_at_most(tmp_path: Path) -> None:
    small = _measured_by_a_small_runner([sys.executable, "-c", "pass"], tmp_path)  # shares the runner's memory
    big = _measured_by_a_small_runner(
        [sys.executable, "-c", "b = bytearray(1 << 28); b[::4096] = b'1' * (1 << 16)"], tmp_path
    )
    assert small[0] and small[2].startswith("<= ")
    assert not big[0] and big[1] > 256
