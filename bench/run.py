"""`make bench`: Plaintrust beside its peers on the example repository and on synthetic ones of 300 to 10,000 controls.

    python bench/run.py [--sizes example,300,1000,10000] [--runs 5] [--output BENCHMARKS-latest.md] [--keep]

A size is `example` (this repository's own trust center, cloned from its last commit so that git
history is there to read, as in any real repository, and nothing is written into the working tree)
or a number of controls (`bench/generate.py`). Each measurement is announced on stderr as it
finishes. The repositories (several GiB at 10,000 controls, with the one-file hashing run) live in
bench/.work/ and are removed at the end unless --keep, which also lets the next run reuse the
generated ones (the example is cloned afresh each run).

Every command runs as its own process, several times, with SOURCE_DATE_EPOCH pinned; the median
wall time and the peak resident memory of the main process are reported, with the peer's median,
the ratio, the issue's target for that size and whether it is met:

- check (cold: no cache) vs check-jsonschema on the same control and evidence files with the same
  schemas (the validation peer), and vs `bench/floor.py` (interpreter start + reading the same YAML
  + libyaml parsing it: the floor);
- check, warm (after editing one control);
- serve: from saving a control to the reloaded page (`bench/serve_latency.py`), up to 1,000 controls;
- build vs a plain `mkdocs build` of the same generated Markdown (the rendering floor), cold, no-op
  and the site alone;
- gaps (HTML report);
- evidence verify vs `openssl dgst -sha256` over the same files (the hashing floor), on the
  evidence and on one 2 GiB file;
- start-up, once: `plaintrust --version` beside `python -c pass`, `import plaintrust.cli`, and the
  number of modules `plaintrust check` imports (`-X importtime`).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
BIN = Path(sys.executable).parent
EPOCH = "1795348800"  # the tests' date: the example's evidence is judged on the same day every run
SERVE_UP_TO = 1000  # controls; the first build of `serve` at 10,000 alone takes minutes
sys.path.insert(0, str(HERE))

import floor  # noqa: E402  (bench/ is not a package)


@dataclass
class Timing:
    seconds: float
    peak_mb: float | None = None  # None when the process is not ours to wait for (the serve row)
    at_most: bool = False  # the peak is no higher than this process's own: the child's is at most that

    def peak(self) -> str:
        if self.peak_mb is None:
            return ""
        return f"{'<= ' if self.at_most else ''}{self.peak_mb:.0f} MB"


def run(command: list[str], cwd: Path) -> Timing:
    """Wall time and peak RSS of one process (os.wait4 gives the child's own rusage).

    A child's peak starts at this process's own (the memory they share until it starts the command),
    so one no higher than that only says "at most"; heavy work here runs in children (`generate`)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty child cannot block on it
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(
                f"{' '.join(command[:4])} failed in {cwd}:\n{errors.read().decode(errors='replace')[-2000:]}"
            )
    return Timing(elapsed, usage.ru_maxrss / 1024, usage.ru_maxrss <= own + 1024)


def median(timings: list[Timing]) -> Timing:
    """The median time, and the highest peak of the runs."""
    top = max((t for t in timings if t.peak_mb is not None), key=lambda t: t.peak_mb or 0, default=Timing(0))
    return Timing(statistics.median(t.seconds for t in timings), top.peak_mb, top.at_most)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _named(command: list[str]) -> str:
    words = [Path(command[0]).name, *(Path(w).name if w.endswith(".py") else w for w in command[1:4])]
    words = [w for w in words if not w.startswith("/")]
    return " ".join(words)


def repeat(runs: int, command: list[str], cwd: Path, before=None) -> Timing:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(run(command, cwd))
    timing = median(results)
    say(f"  {cwd.name}: {_named(command)}, median of {runs}: {timing.seconds:.2f} s, {timing.peak()}")
    return timing


def clear_cache(repo: Path) -> None:
    shutil.rmtree(repo / ".plaintrust-cache", ignore_errors=True)


def plaintrust(*args: str) -> list[str]:
    return [str(BIN / "plaintrust"), *args]


# --- the repositories ------------------------------------------------------------------------------


def repo_path(token: str) -> Path:
    return WORK / ("example" if token == "example" else f"repo-{int(token)}")


def big_path(size_gib: int) -> Path:
    return WORK / f"big-{size_gib}g"


def remove_made(args: argparse.Namespace) -> None:
    """What this run made, and bench/.work/ once empty: other tools may keep folders of their own there."""
    repos = [repo_path(token) for token in args.sizes] + ([big_path(args.big_gib)] if args.big_gib else [])
    for repo in repos:
        for suffix in ("", "-floor", "-schemas"):
            shutil.rmtree(repo.with_name(repo.name + suffix), ignore_errors=True)
    with contextlib.suppress(OSError):
        WORK.rmdir()
    say(f"removed this run's repositories from {WORK} (--keep keeps them)")


def example_repo() -> Path:
    """This repository's last commit, cloned with its history (check reads git: policy versions, watches)."""
    repo = repo_path("example")
    shutil.rmtree(repo, ignore_errors=True)
    say("cloning the example repository")
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(repo)], check=True)
    return repo


def generated_repo(size: int) -> Path:
    repo = repo_path(str(size))
    if not (repo / "evidence" / "ledger.jsonl").exists():
        say(f"generating a repository of {size:,} controls")
        generate(repo, size)
        run(plaintrust("evidence", "pin"), repo)  # the ledger verify checks
    return repo


def generate(repo: Path, size: int) -> None:
    """bench/generate.py in a child process, as all heavy work here: this process must stay small for
    the peaks `run` reports to be the commands' own."""
    run([sys.executable, str(HERE / "generate.py"), str(repo), "--controls", str(size)], ROOT)


def prepare(token: str) -> Path:
    return example_repo() if token == "example" else generated_repo(int(token))


def shown_size(token: str, repo: Path | None = None) -> str:
    """The size as the table's "controls" column shows it."""
    if token != "example":
        return f"{int(token):,}"
    return f"example ({len(floor.controls(str(repo)))})" if repo else "example"


# --- the targets -----------------------------------------------------------------------------------

# The targets: row kind -> ({size: limit}, unit); "*" is every size not named. A limit bounds
# ours / peer, or our seconds when the row has no peer.
GOALS: dict[str, tuple[dict[str, float], str]] = {
    "check-peer": ({"*": 0.5, "10000": 0.10}, ""),
    "check-floor": ({"example": 2.0}, ""),
    "check-warm": ({"example": 0.12, "10000": 1.0}, " s"),
    "serve": ({"example": 0.5, "1000": 1.5}, " s"),
    "build": ({"*": 1.3, "10000": 2.0}, ""),
    "site": ({"*": 1.3}, ""),
}


@dataclass(frozen=True)
class Goal:
    text: str = ""
    limit: float | None = None  # None: nothing to judge at this size


def goal(kind: str, token: str) -> Goal:
    """The target of a row of `kind` at size `token`; where the issue sets none, the sizes it names."""
    limits, unit = GOALS[kind]
    limit = limits.get(token, limits.get("*"))
    if limit is not None:
        return Goal(f"<= {limit:g}{unit}", limit)
    return Goal(", ".join(f"<= {value:g}{unit} at {shown_size(size)}" for size, value in limits.items()))


@dataclass
class Row:
    what: str
    size: str
    ours: Timing | None
    peer_name: str = ""
    peer: Timing | None = None
    goal: Goal = Goal()
    count: str = ""  # shown instead of a time (the modules a command imports)

    def ratio(self) -> str:
        """Our time divided by the peer's: below 1 we are faster."""
        return f"{self.ours.seconds / self.peer.seconds:.2f}" if self.ours and self.peer else ""

    def met(self) -> str:
        if self.goal.limit is None or self.ours is None:
            return ""
        value = self.ours.seconds / self.peer.seconds if self.peer else self.ours.seconds
        return "yes" if value <= self.goal.limit else "no"


# --- check -----------------------------------------------------------------------------------------


def check_jsonschema(repo: Path) -> list[list[str]]:
    """The peer's commands: the files check reads as controls and as evidence records, with our schemas."""
    schemas = WORK / f"{repo.name}-schemas"
    shutil.rmtree(schemas, ignore_errors=True)  # written anew: the schemas of the code measured
    run(plaintrust("schema", str(schemas)), repo)
    tool = str(BIN / "check-jsonschema")
    return [
        [tool, "--schemafile", str(schemas / "plaintrust-control.schema.json"), *floor.controls(str(repo))],
        [tool, "--schemafile", str(schemas / "plaintrust-evidence.schema.json"), *floor.records(str(repo))],
    ]


def peer_check(repo: Path, runs: int) -> Timing:
    commands = check_jsonschema(repo)
    totals = []
    for _ in range(runs):
        parts = [run(command, repo) for command in commands]
        totals.append(Timing(sum(p.seconds for p in parts)))  # the peer's memory is not shown
    timing = median(totals)
    say(f"  {repo.name}: check-jsonschema, median of {runs}: {timing.seconds:.2f} s")
    return timing


def warm_check(repo: Path, runs: int) -> Timing:
    run(plaintrust("check"), repo)
    time.sleep(2.2)  # files written in the last two seconds are not cached
    target = repo / floor.controls(str(repo))[0]
    counter = iter(range(1000))
    return repeat(
        runs,
        plaintrust("check"),
        repo,
        before=lambda: target.write_text(target.read_text() + f"# edit {next(counter)}\n"),
    )


def check_rows(repo: Path, token: str, runs: int) -> list[Row]:
    size = shown_size(token, repo)
    cold = repeat(runs, plaintrust("check"), repo, before=lambda: clear_cache(repo))
    floor_run = repeat(runs, [sys.executable, str(HERE / "floor.py"), str(repo)], repo)
    return [
        Row("check, cold", size, cold, "check-jsonschema", peer_check(repo, runs), goal("check-peer", token)),
        Row("check, cold", size, cold, "floor: read + parse the YAML", floor_run, goal("check-floor", token)),
        Row("check, warm (one file edited)", size, warm_check(repo, runs), goal=goal("check-warm", token)),
    ]


# --- serve -----------------------------------------------------------------------------------------


def serve_rows(repo: Path, token: str, runs: int) -> list[Row]:
    """Saving a control to its page reloaded in `plaintrust serve` (only once bench/serve_latency.py exists)."""
    small = token == "example" or int(token) <= SERVE_UP_TO
    if not small or not (HERE / "serve_latency.py").is_file():
        return []
    from serve_latency import reload_seconds

    seconds = reload_seconds(repo, runs, str(BIN / "plaintrust"))
    timing = Timing(statistics.median(seconds))
    say(f"  {repo.name}: serve, save to reloaded page, median of {len(seconds)}: {timing.seconds:.2f} s")
    return [Row("serve: save a control -> page reloaded", shown_size(token, repo), timing, goal=goal("serve", token))]


# --- build -----------------------------------------------------------------------------------------


def _plugin_name(entry: yaml.Node) -> str | None:
    """The name of one `plugins:` list entry: `name` or `name: {options}`."""
    if isinstance(entry, yaml.ScalarNode):
        return entry.value
    if isinstance(entry, yaml.MappingNode) and len(entry.value) == 1:
        return entry.value[0][0].value
    return None


def floor_config(text: str) -> str:
    """mkdocs.yml without the plaintrust plugin and with docs_dir `docs`. Edited as YAML nodes, not
    text: any spelling of the plugin list goes, and tags (`!ENV`, `!!python/name:`) stay as written."""
    config = yaml.compose(text, Loader=yaml.SafeLoader)
    for key, value in config.value:
        if key.value == "plugins" and isinstance(value, yaml.SequenceNode):
            value.value = [entry for entry in value.value if _plugin_name(entry) != "plaintrust"]
        elif key.value == "plugins" and isinstance(value, yaml.MappingNode):
            value.value = [(name, options) for name, options in value.value if name.value != "plaintrust"]
        elif key.value == "docs_dir" and isinstance(value, yaml.ScalarNode):
            value.value = "docs"
    return yaml.serialize(config, Dumper=yaml.SafeDumper)


def floor_project(repo: Path) -> Path:
    """The same site files and generated Markdown, built by MkDocs alone; written by a child process (see `generate`)."""
    project = repo.parent / f"{repo.name}-floor"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import run; run.write_floor_project(*map(run.Path, sys.argv[2:]))"
    )
    run([sys.executable, "-c", code, str(HERE), str(repo), str(project)], repo)
    return project


def write_floor_project(repo: Path, project: Path) -> None:
    """The site files and the pages the plugin's on_files adds, with mkdocs.yml without the plugin."""
    from plaintrust import pipeline
    from plaintrust.public import pages
    from plaintrust.public import view as public

    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(repo / "site", project / "docs")
    for name in ("trust.yaml", "trust.yml"):
        (project / "docs" / name).unlink(missing_ok=True)
    own = {name: (repo / "site" / name).is_file() for name in (pages.DISCLOSURE, pages.OVERVIEW)}
    view = public.build(pipeline.run(repo, cache=False).model)
    for page in pages.render_all(view, disclosure=not own[pages.DISCLOSURE], overview=not own[pages.OVERVIEW]):
        target = project / "docs" / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    (project / "mkdocs.yml").write_text(floor_config((repo / "mkdocs.yml").read_text(encoding="utf-8")))


def build_rows(repo: Path, token: str, runs: int) -> list[Row]:
    size, project = shown_size(token, repo), floor_project(repo)
    mkdocs = [str(BIN / "mkdocs"), "build", "-q"]

    def fresh_build() -> None:
        clear_cache(repo)
        shutil.rmtree(repo / "build", ignore_errors=True)

    cold = repeat(runs, plaintrust("build"), repo, fresh_build)
    return [
        Row(
            "build (site + gap report), cold",
            size,
            cold,
            "mkdocs build (same Markdown)",
            repeat(runs, mkdocs, project),
            goal("build", token),
        ),
        Row(
            "build, no-op (nothing changed)",
            size,
            repeat(runs, plaintrust("build"), repo),
            goal=Goal("cheaper than cold"),
        ),
        Row(
            "site only: mkdocs build with the plugin, warm cache",
            size,
            repeat(runs, mkdocs, repo),
            "mkdocs build (same Markdown)",
            repeat(runs, mkdocs, project),
            goal("site", token),
        ),
    ]


# --- reports and hashing ---------------------------------------------------------------------------


def evidence_files(repo: Path) -> list[str]:
    return sorted(str(p) for p in (repo / "evidence" / "files").rglob("*") if p.is_file())


def openssl(files: list[str], cwd: Path, runs: int) -> Timing:
    return repeat(runs, ["openssl", "dgst", "-sha256", *files], cwd)


def report_rows(repo: Path, token: str, runs: int) -> list[Row]:
    size = shown_size(token, repo)
    gaps = repeat(runs, plaintrust("gaps", "--format", "html", "-o", "/dev/null"), repo)
    verify = repeat(runs, plaintrust("evidence", "verify"), repo)
    hashing = openssl(evidence_files(repo), repo, runs)
    return [
        Row("gaps --format html", size, gaps),
        Row(
            "evidence verify", size, verify, "openssl dgst -sha256", hashing, Goal("(small files: start-up dominates)")
        ),
    ]


def bench_size(repo: Path, token: str, runs: int) -> list[Row]:
    say(f"measuring {shown_size(token, repo)} controls")
    rows = check_rows(repo, token, runs) + serve_rows(repo, token, runs)
    return rows + build_rows(repo, token, runs) + report_rows(repo, token, runs)


def big_file_repo(size_gib: int) -> Path:
    """One record pinning one large file: hashing throughput without per-file overhead."""
    repo = big_path(size_gib)
    if not (repo / "evidence" / "files" / "big.bin").exists():
        generate(repo, 1)
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


def bench_big(runs: int, size_gib: int) -> Row:
    repo = big_file_repo(size_gib)
    big = [str(repo / "evidence" / "files" / "big.bin")]
    return Row(
        f"evidence verify, one {size_gib} GiB file",
        "1",
        repeat(runs, plaintrust("evidence", "verify"), repo),
        "openssl dgst -sha256",
        openssl(big, repo, runs),
        Goal("<= 1.25 (>= 80% of its throughput)", 1.25),
    )


# --- start-up --------------------------------------------------------------------------------------


def imported_modules(repo: Path, *args: str) -> int:
    """How many modules `plaintrust ARGS` imports, the interpreter's own start-up included (`-X importtime`)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(BIN / "plaintrust"), *args], cwd=repo, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"plaintrust {' '.join(args)} failed in {repo}:\n{done.stderr[-2000:]}")
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    return len(lines) - 1  # the first is the header


def module_rows(repo: Path, size: str) -> list[Row]:
    clear_cache(repo)
    counts = {"cold": imported_modules(repo, "check"), "warm": imported_modules(repo, "check")}
    say(f"  {repo.name}: plaintrust check imports {counts['cold']} modules cold, {counts['warm']} warm")
    return [
        Row(
            f"start-up: modules `check` imports, {state}",
            size,
            None,
            goal=Goal("see Start-up section"),
            count=f"{n} modules",
        )
        for state, n in counts.items()
    ]


def startup_rows(repo: Path, token: str, runs: int) -> list[Row]:
    """Size-independent, measured once, in the first repository."""
    say("measuring start-up")
    size, python = shown_size(token, repo), [sys.executable, "-c"]
    version = repeat(runs, plaintrust("--version"), repo)
    bare = repeat(runs, [*python, "pass"], repo)
    cli = repeat(runs, [*python, "import plaintrust.cli"], repo)
    return [
        Row("start-up: plaintrust --version", size, version, "python -c pass", bare, Goal("see Start-up section")),
        Row("start-up: python -c 'import plaintrust.cli'", size, cli, goal=Goal("see Start-up section")),
        *module_rows(repo, size),
    ]


# --- the report ------------------------------------------------------------------------------------


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


def _cells(r: Row) -> list[str]:
    ours = f"{r.ours.seconds:.2f} s" if r.ours else r.count
    peak = r.ours.peak() if r.ours else ""
    peer = f"{r.peer.seconds:.2f} s" if r.peer else ""
    return [r.what, r.size, ours, peak, r.peer_name, peer, r.ratio(), r.goal.text, r.met()]


def table(rows: list[Row]) -> str:
    lines = [
        "| command | controls | ours (median) | peak RSS | peer | peer (median) | ours / peer | target | met? |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |",
    ]
    lines += ["| " + " | ".join(_cells(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def sizes(text: str) -> list[str]:
    """`--sizes`: `example` and numbers of controls, comma-separated."""
    tokens = [token.strip().replace("_", "") for token in text.split(",")]
    for token in tokens:
        if token != "example" and not token.isdigit():
            raise argparse.ArgumentTypeError(f"{token!r} is neither 'example' nor a number of controls")
    return tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes, default="example,300,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big-gib", type=int, default=2, help="size of the one-file hashing run (0: skip)")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS-latest.md")
    parser.add_argument("--keep", action="store_true", help=f"keep the repositories in {WORK.name}/ for the next run")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    try:
        measure(args)
    finally:
        if not args.keep:
            remove_made(args)


def measure(args: argparse.Namespace) -> None:
    # Bytecode, as an installed package has it (an editable install compiles on every start when
    # PYTHONDONTWRITEBYTECODE is set); the peers are installed packages and have theirs.
    compileall.compile_dir(str(ROOT / "generator" / "plaintrust"), quiet=1)
    os.environ.update(SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")  # for every child, serve's included
    repos = {token: prepare(token) for token in args.sizes}
    rows = [row for token, repo in repos.items() for row in bench_size(repo, token, args.runs)]
    first = next(iter(repos))
    rows += startup_rows(repos[first], first, args.runs)
    if args.big_gib:
        rows.append(bench_big(args.runs, args.big_gib))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    args.output.write_text(
        f"# Benchmark run, {stamp}\n\nMachine: {machine()}\n\nCommand: `python bench/run.py --sizes "
        f"{','.join(args.sizes)} --runs {args.runs} --big-gib {args.big_gib}` (median of {args.runs} runs; "
        "peak RSS of the main process).\n\n" + table(rows)
    )
    print(args.output.read_text())


if __name__ == "__main__":
    main()
