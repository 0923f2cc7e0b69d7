"""`make bench`: Plaintrust beside its peers on synthetic repositories of 100, 1,000 and 10,000 controls.

    python bench/run.py [--sizes 100,1000,10000] [--runs 3] [--output BENCHMARKS.md] [--keep]

Each measurement is announced on stderr as it finishes. The generated repositories (several GiB at
10,000 controls, with the one-file hashing run) live in bench/.work/ and are removed at the end
unless --keep, which also lets the next run reuse them.

Every command runs as its own process, several times; the median wall time and the peak resident
memory of the main process are reported, with the peer's median and the ratio:

- check (cold: no cache; warm: after editing one control) vs check-jsonschema on the same files
  with the same schemas (the validation peer);
- build vs a plain `mkdocs build` of the same generated Markdown (the rendering floor);
- gaps (HTML report);
- evidence verify vs `openssl dgst -sha256` over the same files (the hashing floor), on the
  generated evidence and on one 2 GiB file.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from generate import write_repo  # noqa: E402  (bench/ is not a package)


@dataclass
class Timing:
    seconds: float
    peak_mb: float


def run(command: list[str], cwd: Path, env: dict | None = None) -> Timing:
    """Wall time and peak RSS of one process (os.wait4 gives the child's own rusage)."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty child cannot block on it
        started = time.perf_counter()
        child = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(
                f"{' '.join(command[:4])} failed in {cwd}:\n{errors.read().decode(errors='replace')[-2000:]}"
            )
    return Timing(elapsed, usage.ru_maxrss / 1024)


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_mb for t in timings))


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _named(command: list[str]) -> str:
    words = [Path(command[0]).name, *(w for w in command[1:4] if not w.startswith("/"))]
    return " ".join(words)


def repeat(runs: int, command: list[str], cwd: Path, before=None) -> Timing:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(run(command, cwd))
    timing = median(results)
    say(f"  {cwd.name}: {_named(command)}, median of {runs}: {timing.seconds:.2f} s, {timing.peak_mb:.0f} MB")
    return timing


def clear_cache(repo: Path) -> None:
    shutil.rmtree(repo / ".plaintrust-cache", ignore_errors=True)


def plaintrust(*args: str) -> list[str]:
    return [str(BIN / "plaintrust"), *args]


def check_jsonschema(repo: Path) -> list[list[str]]:
    schemas = repo / ".schemas"
    if not schemas.exists():
        run(plaintrust("schema", str(schemas)), repo)
    controls = sorted(str(p) for p in (repo / "controls").rglob("ctl-*.yaml"))
    records = sorted(str(p) for p in (repo / "evidence" / "records").rglob("*.yaml"))
    tool = str(BIN / "check-jsonschema")
    return [
        [tool, "--schemafile", str(schemas / "plaintrust-control.schema.json"), *controls],
        [tool, "--schemafile", str(schemas / "plaintrust-evidence.schema.json"), *records],
    ]


def peer_check(repo: Path, runs: int) -> Timing:
    commands = check_jsonschema(repo)
    totals = []
    for _ in range(runs):
        parts = [run(command, repo) for command in commands]
        totals.append(Timing(sum(p.seconds for p in parts), max(p.peak_mb for p in parts)))
    timing = median(totals)
    say(f"  {repo.name}: check-jsonschema, median of {runs}: {timing.seconds:.2f} s")
    return timing


def warm_check(repo: Path, runs: int) -> Timing:
    run(plaintrust("check"), repo)
    time.sleep(2.2)  # files written in the last two seconds are not cached
    target = repo / "controls" / "00" / "ctl-00001.yaml"
    counter = iter(range(1000))
    return repeat(
        runs,
        plaintrust("check"),
        repo,
        before=lambda: target.write_text(target.read_text() + f"# edit {next(counter)}\n"),
    )


def floor_project(repo: Path) -> Path:
    """The same generated Markdown and site files, built by MkDocs alone (no plugin)."""
    from plaintrust import pipeline
    from plaintrust.public import pages
    from plaintrust.public import view as public

    floor = repo.parent / f"{repo.name}-floor"
    shutil.rmtree(floor, ignore_errors=True)
    shutil.copytree(repo / "site", floor / "docs")
    (floor / "docs" / "trust.yaml").unlink()
    view = public.build(pipeline.run(repo, cache=False).model)
    for page in pages.render_all(view):
        target = floor / "docs" / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    config = (repo / "mkdocs.yml").read_text().replace("plugins: [search, plaintrust]", "plugins: [search]")
    (floor / "mkdocs.yml").write_text(config.replace("docs_dir: site", "docs_dir: docs"))
    return floor


def evidence_files(repo: Path) -> list[str]:
    return sorted(str(p) for p in (repo / "evidence" / "files").rglob("*") if p.is_file())


def openssl(files: list[str], cwd: Path, runs: int) -> Timing:
    return repeat(runs, ["openssl", "dgst", "-sha256", *files], cwd)


def big_file_repo(size_gib: int) -> Path:
    """One record pinning one large file: hashing throughput without per-file overhead."""
    repo = WORK / f"big-{size_gib}g"
    if not (repo / "evidence" / "files" / "big.bin").exists():
        write_repo(repo, 1)
        shutil.rmtree(repo / "evidence")
        data = repo / "evidence" / "files" / "big.bin"
        data.parent.mkdir(parents=True)
        block = os.urandom(1 << 20)
        with open(data, "wb") as stream:
            for index in range(size_gib << 10):
                stream.write(block[index % 256 :] + block[: index % 256])
        (repo / "evidence" / "big.yaml").write_text(
            "id: big-export\ntitle: Large export\nkind: log\ncollected: 2026-11-10\nrefresh: quarterly\n"
            "classification: internal\nfiles:\n  - path: files/big.bin\n"
        )
        (repo / "controls" / "00" / "ctl-00000.yaml").write_text(
            (repo / "controls" / "00" / "ctl-00000.yaml").read_text().replace("- ev-00000", "- big-export")
        )
        run(plaintrust("evidence", "pin"), repo)
    return repo


@dataclass
class Row:
    what: str
    size: str
    ours: Timing
    peer_name: str = ""
    peer: Timing | None = None
    target: str = ""

    def ratio(self) -> str:
        """Our time divided by the peer's: below 1 we are faster."""
        return f"{self.ours.seconds / self.peer.seconds:.2f}" if self.peer else ""


def bench_size(size: int, runs: int) -> list[Row]:
    repo = WORK / f"repo-{size}"
    if not (repo / "evidence" / "ledger.jsonl").exists():
        say(f"generating a repository of {size:,} controls")
        write_repo(repo, size)
        run(plaintrust("evidence", "pin"), repo)  # the ledger verify checks
    label = f"{size:,}"
    rows = [
        Row(
            "check, cold",
            label,
            repeat(runs, plaintrust("check"), repo, before=lambda: clear_cache(repo)),
            "check-jsonschema",
            peer_check(repo, runs),
            "<= 0.10 at 10,000",
        ),
        Row("check, warm (one file edited)", label, warm_check(repo, runs), target="< 1 s at 10,000"),
    ]
    floor = floor_project(repo)

    def fresh_build() -> None:
        clear_cache(repo)
        shutil.rmtree(repo / "build", ignore_errors=True)

    rows.append(
        Row(
            "build (site + gap report), cold",
            label,
            repeat(runs, plaintrust("build"), repo, fresh_build),
            "mkdocs build (same Markdown)",
            repeat(runs, [str(BIN / "mkdocs"), "build", "-q"], floor),
            "<= 1.3",
        )
    )
    rows.append(
        Row(
            "build, no-op (nothing changed)", label, repeat(runs, plaintrust("build"), repo), target="cheaper than cold"
        )
    )
    mkdocs = [str(BIN / "mkdocs"), "build", "-q"]
    rows.append(
        Row(
            "site only: mkdocs build with the plugin, warm cache",
            label,
            repeat(runs, mkdocs, repo),
            "mkdocs build (same Markdown)",
            repeat(runs, mkdocs, floor),
            "<= 1.3",
        )
    )
    rows.append(
        Row("gaps --format html", label, repeat(runs, plaintrust("gaps", "--format", "html", "-o", "/dev/null"), repo))
    )
    files = evidence_files(repo)
    rows.append(
        Row(
            "evidence verify",
            label,
            repeat(runs, plaintrust("evidence", "verify"), repo),
            "openssl dgst -sha256",
            openssl(files, repo, runs),
            "(small files: start-up dominates)",
        )
    )
    return rows


def bench_big(runs: int, size_gib: int) -> Row:
    repo = big_file_repo(size_gib)
    big = [str(repo / "evidence" / "files" / "big.bin")]
    return Row(
        f"evidence verify, one {size_gib} GiB file",
        "1",
        repeat(runs, plaintrust("evidence", "verify"), repo),
        "openssl dgst -sha256",
        openssl(big, repo, runs),
        "<= 1.25 (>= 80% of its throughput)",
    )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {len(os.sched_getaffinity(0))} cores, {memory:.0f} GiB RAM; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}"
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| command | controls | ours (median) | peak RSS | peer | peer (median) | ours / peer | target |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for r in rows:
        peer = f"{r.peer.seconds:.2f} s" if r.peer else ""
        lines.append(
            f"| {r.what} | {r.size} | {r.ours.seconds:.2f} s | {r.ours.peak_mb:.0f} MB | {r.peer_name} | "
            f"{peer} | {r.ratio()} | {r.target} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big-gib", type=int, default=2, help="size of the one-file hashing run (0: skip)")
    parser.add_argument("--output", type=Path, default=HERE.parent / "BENCHMARKS-latest.md")
    parser.add_argument(
        "--keep", action="store_true", help=f"keep {WORK.name}/ (the generated repositories) for the next run"
    )
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    try:
        measure(args)
    finally:
        if not args.keep:
            shutil.rmtree(WORK, ignore_errors=True)
            say(f"removed {WORK} (--keep keeps it)")


def measure(args: argparse.Namespace) -> None:
    # Bytecode, as an installed package has it (an editable install compiles on every start when
    # PYTHONDONTWRITEBYTECODE is set); the peers are installed packages and have theirs.
    compileall.compile_dir(str(HERE.parent / "generator" / "plaintrust"), quiet=1)
    rows = [row for size in map(int, args.sizes.split(",")) for row in bench_size(size, args.runs)]
    if args.big_gib:
        rows.append(bench_big(args.runs, args.big_gib))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    args.output.write_text(
        f"# Benchmark run, {stamp}\n\nMachine: {machine()}\n\nCommand: `python bench/run.py --sizes {args.sizes} "
        f"--runs {args.runs} --big-gib {args.big_gib}` (median of {args.runs} runs; peak RSS of the main process).\n\n"
        + table(rows)
    )
    print(args.output.read_text())


if __name__ == "__main__":
    main()
