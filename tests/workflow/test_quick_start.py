"""The README's quick start, followed literally in a temporary folder, as a newcomer would.

The commands of the README's first `sh` block run in order, in bash, from a copy of this repository
made a git clone (so `init` can tell where Plaintrust came from). Two substitutions, and only these,
because the test runs offline: `pipx install .` becomes the README's alternative, `python3 -m pip
install .`, into a fresh virtual environment whose dependencies are the ones the tests already have
(pipx would download them); and `plaintrust serve` runs on a free port until the page answers.
Then, as on the first CI run, the generated workflow's requirement installs that commit into a
second fresh environment (from the clone instead of its remote), which runs the workflow's check
steps; and the generated pre-commit hooks run as `pre-commit run` runs them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from helpers import EPOCH

ROOT = Path(__file__).parents[2]
REMOTE = "https://example.org/acme/plaintrust.git"
# The quick start as the README gives it. Change both together: this list is what the test runs.
QUICK_START = [
    "pipx install .",
    'plaintrust init ../my-trust-center --organization "Acme Cloud" --git',
    "cd ../my-trust-center",
    "plaintrust check --strict",
    "plaintrust build",
    "plaintrust serve",
]
OFFLINE_INSTALL = "python3 -m pip install --quiet --no-deps --no-build-isolation --no-index"


def readme_quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Quick start") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's quick start has no sh block"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_gives_the_quick_start_this_test_runs() -> None:
    assert readme_quick_start() == QUICK_START


def _run(args: list[str] | str, cwd: Path, env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, **kw)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def _clone_of_plaintrust(tmp: Path, env: dict[str, str]) -> tuple[Path, str]:
    """This repository's package as a newcomer's clone: a git repository whose origin is REMOTE."""
    clone = tmp / "plaintrust"
    for rel in ("pyproject.toml", "README.md"):
        clone.mkdir(exist_ok=True)
        shutil.copy2(ROOT / rel, clone / rel)
    shutil.copytree(
        ROOT / "generator", clone / "generator", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    )
    for args in (
        ["init", "--quiet"],
        ["add", "-A"],
        ["commit", "--quiet", "-m", "Plaintrust"],
        ["remote", "add", "origin", REMOTE],
    ):
        _run(["git", *args], clone, env)
    return clone, _run(["git", "rev-parse", "HEAD"], clone, env).stdout.strip()


def _fresh_venv(path: Path, deps: Path) -> Path:
    """A virtual environment that sees the tests' dependencies (not their Plaintrust) through a .pth."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    purelib = sysconfig.get_path("purelib", vars={"base": str(path), "platbase": str(path)})
    Path(purelib, "dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    return path / "bin"


def _dependencies(tmp: Path) -> Path:
    """Links to everything installed for the tests except Plaintrust itself."""
    deps = tmp / "dependencies"
    deps.mkdir()
    for entry in Path(sysconfig.get_path("purelib")).iterdir():
        if "plaintrust" not in entry.name.lower() and entry.suffix != ".pth":
            (deps / entry.name).symlink_to(entry)
    return deps


def _environment(tmp: Path, bin_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(
        HOME=str(tmp / "home"),
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        GIT_AUTHOR_NAME="T",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="T",
        GIT_COMMITTER_EMAIL="t@example.org",
        PRE_COMMIT_HOME=str(tmp / "pre-commit"),
        SOURCE_DATE_EPOCH=EPOCH,
    )  # the module's fixture runs before the per-test pin
    (tmp / "home").mkdir(exist_ok=True)
    return env


def _script(lines: list[str]) -> str:
    """The quick start up to `serve`, in bash; python3 is the fresh environment's."""
    body = [OFFLINE_INSTALL + " ." if line == "pipx install ." else line for line in lines]
    return "set -euo pipefail\n" + "\n".join(body) + "\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_answers(repo: Path, env: dict[str, str], log: Path) -> str:
    port = _free_port()
    with log.open("wb") as errors:  # a file, not a pipe: a chatty server cannot block on it
        server = subprocess.Popen(
            ["plaintrust", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=repo,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            return _first_page(port, server, log)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _first_page(port: int, server: subprocess.Popen, log: Path) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                return page.read().decode("utf-8")
        except OSError:
            assert server.poll() is None, log.read_text(errors="replace")
            time.sleep(0.2)
    raise AssertionError(f"plaintrust serve did not answer within 60 s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("newcomer")
    deps = _dependencies(tmp)
    bin_dir = _fresh_venv(tmp / "venv", deps)
    env = _environment(tmp, bin_dir)
    clone, commit = _clone_of_plaintrust(tmp, env)
    lines = readme_quick_start()
    run = _run(["bash", "-c", _script(lines[: lines.index("plaintrust serve")])], clone, env)
    return {
        "tmp": tmp,
        "deps": deps,
        "env": env,
        "clone": clone,
        "commit": commit,
        "repo": tmp / "my-trust-center",
        "stderr": run.stderr,
    }


def test_the_quick_start_builds_the_trust_center_and_serves_it(newcomer: dict) -> None:
    repo = newcomer["repo"]
    assert "Acme Cloud" in (repo / "build/site/index.html").read_text(encoding="utf-8")
    assert (repo / "build/gap-report/index.html").is_file()
    assert (repo / ".git/HEAD").read_text() == "ref: refs/heads/main\n"  # the branch the workflow publishes
    assert "Acme Cloud" in _serve_answers(repo, newcomer["env"], newcomer["tmp"] / "serve.log")


def test_init_pins_the_workflow_to_the_installed_commit_and_says_to_push_it(newcomer: dict) -> None:
    workflow = yaml.safe_load((newcomer["repo"] / ".github/workflows/trust-center.yml").read_text())
    assert workflow["env"]["PLAINTRUST"] == f"plaintrust @ git+{REMOTE}@{newcomer['commit']}"
    assert "may not be on the remote yet" in newcomer["stderr"]


def test_the_workflow_installs_that_commit_and_its_checks_pass(newcomer: dict) -> None:
    tmp, repo = newcomer["tmp"], newcomer["repo"]
    workflow = yaml.safe_load((repo / ".github/workflows/trust-center.yml").read_text())
    # The one substitution: the clone stands in for its remote, which this machine cannot reach.
    # (file://localhost/…: the older pip a fresh venv brings refuses a URL without a host.)
    requirement = workflow["env"]["PLAINTRUST"].replace(REMOTE, f"file://localhost{newcomer['clone'].as_posix()}")
    bin_dir = _fresh_venv(tmp / "ci-venv", newcomer["deps"])
    env = {**_environment(tmp, bin_dir), "PLAINTRUST": requirement}
    install = [s["run"] for s in workflow["jobs"]["check"]["steps"] if s.get("name") == "Install Plaintrust"]
    assert install and install[0].rstrip().endswith('pip install "$PLAINTRUST"')
    script = install[0].replace(
        "pip install", "python -m pip install --quiet --no-deps --no-build-isolation --no-index"
    )
    _run(["bash", "-c", script], repo, env)
    recorded = next((tmp / "ci-venv").glob("lib/python*/site-packages/plaintrust-*.dist-info/direct_url.json"))
    assert newcomer["commit"] in recorded.read_text(encoding="utf-8")
    for step in workflow["jobs"]["check"]["steps"]:
        if str(step.get("run", "")).startswith("plaintrust "):
            _run(["bash", "-c", step["run"]], repo, env)


def test_the_generated_pre_commit_hooks_pass_on_the_new_repository(newcomer: dict) -> None:
    repo, env = newcomer["repo"], newcomer["env"]
    _run(["git", "add", "-A"], repo, env)
    done = _run([sys.executable, "-m", "pre_commit", "run", "--all-files"], repo, env)
    assert re.search(r"plaintrust check\.+Passed", done.stdout), done.stdout
    assert re.search(r"plaintrust evidence verify\.+Passed", done.stdout), done.stdout
