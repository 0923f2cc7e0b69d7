"""MkDocs hook: real output and real files in the pages, never copies typed by hand.

`<!-- run: NAME -->` on a line of its own becomes the command SAMPLES[NAME] and what it printed
(standard output and error, as a terminal shows them) when run at build time on a copy of the
sample repository in docs/samples/repo/, with the day pinned so the output does not drift. A sample
in HISTORIES runs on a git repository made of that copy, with the commits its history describes.
The files beside the sample repository (docs/samples/*) are copied into it; a CSV file named in
WORKBOOKS also becomes the .xlsx workbook of the same name, one row per line, as a customer's
questionnaire would be, for the samples that name that workbook.
`<!-- include: PATH -->` becomes the file at PATH (relative to docs/) as a code block.
`<!-- modules: PATH -->` (a package, relative to docs/) becomes a heading per package under PATH
with the first paragraph of its own docstring, and a table of its modules, each with the first
paragraph of its docstring (rule modules aside: the rules reference has them).
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

DAY = "1795348800"  # SOURCE_DATE_EPOCH of 22 November 2026, the day the sample repository is judged on
SAMPLES = {
    "check": ["check"],
    "import": ["import", "controls.csv", "--map", "Control ID=id", "--map", "SOC 2=satisfies.soc2"],
    "drift": ["check"],
    "impact": ["impact"],
    "impact-markdown": ["impact", "--format", "markdown"],
    "answers-export": ["answers", "export", "--standard", "caiq-v4"],
    "answers-fill": [
        "answers",
        "fill",
        "questionnaire.xlsx",
        "-o",
        "questionnaire-filled.xlsx",
        "--question-column",
        "B",
        "--answer-column",
        "C",
        "--explanation-column",
        "D",
    ],
}
# The first commit holds the sample without its broken controls (the `check` sample's errors), on
# FIRST_COMMIT; each step then replaces one text in a file and commits it on its day, or leaves the
# edit uncommitted (None), as a change on its way to a pull request.
FIRST_COMMIT = "2026-10-15"
BROKEN = ("controls/access/ac-02.yaml", "controls/access/ac-03.yaml", "controls/access/ac-04.yaml")
SECURITY_KEY = ('mfa_prompt   = "ALWAYS"', 'mfa_prompt   = "SESSION"')
HISTORIES: dict[str, tuple[tuple[str, str, str, str | None], ...]] = {
    "drift": (("infra/identity.tf", *SECURITY_KEY, "2026-11-20"),),
    "impact": (
        ("controls/access/ac-01.yaml", "status: implemented", "status: partial", None),
        ("controls/access/ac-01.yaml", "A password alone is never enough.", "Rollout ends in January.", None),
        ("infra/identity.tf", *SECURITY_KEY, None),
    ),
}
HISTORIES["impact-markdown"] = HISTORIES["impact"]
# The answers' commands refuse a repository with errors, so they run without the broken controls too,
# and with one answer changed to say more than its control shows, so that their warning shows.
HISTORIES["answers-export"] = (("answers/audit-logs.yaml", "answer: partial", "answer: yes", None),)
HISTORIES["answers-fill"] = HISTORIES["answers-export"]
WORKBOOKS = ("questionnaire.csv",)
MARKER = re.compile(r"^<!-- (run|include|modules): (\S+) -->$", re.MULTILINE)
RULE_MODULE = re.compile(r"(^|/)rules/[a-z]")
LANGUAGES = {".yml": "yaml", ".yaml": "yaml", ".json": "json", ".jsonl": "json", ".md": "markdown"}
_outputs: dict[str, str] = {}


def on_pre_build(*, config: MkDocsConfig) -> None:
    _outputs.clear()  # `mkdocs serve`: run the samples again on each rebuild


def on_page_markdown(markdown: str, *, page, config: MkDocsConfig, files) -> str:
    docs = Path(config.config_file_path).parent
    expand = {"run": _run, "include": _include, "modules": _modules}
    return MARKER.sub(lambda m: expand[m.group(1)](m.group(2), docs), markdown)


def _run(name: str, docs: Path) -> str:
    if name not in SAMPLES:
        raise PluginError(f"<!-- run: {name} -->: no such sample (known: {', '.join(SAMPLES)})")
    if name not in _outputs:
        _outputs[name] = _output(SAMPLES[name], docs / "samples", HISTORIES.get(name))
    command = shlex.join(["plaintrust", *SAMPLES[name]])
    return f"```sh\n{command}\n```\n\n```text\n{_outputs[name]}```"


def _output(args: list[str], samples: Path, history: tuple | None = None) -> str:
    """What the command prints on a fresh copy of the sample repository (and the sample files beside
    it), made a git repository first when the sample has a history."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": DAY, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        shutil.copytree(samples / "repo", repo)
        for extra in (f for f in samples.iterdir() if f.is_file()):
            shutil.copy(extra, repo)
            # only for the samples that read it: its bytes hold the time it is made, which would
            # change the commit ids the impact samples print
            if extra.name in WORKBOOKS and f"{extra.stem}.xlsx" in args:
                _workbook(extra, repo / f"{extra.stem}.xlsx")
        if history is not None:
            _commit_history(repo, history)
        done = subprocess.run(
            [sys.executable, "-m", "plaintrust", *args],
            cwd=repo,
            env=env,
            timeout=120,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
    if done.returncode > 1:
        raise PluginError(f"sample `plaintrust {shlex.join(args)}` failed (exit {done.returncode}):\n{done.stdout}")
    return done.stdout


def _workbook(table: Path, target: Path) -> None:
    """The CSV file as a one-sheet workbook, every cell text, made when the sample runs: a binary
    file typed into the repository could not be read in a diff."""
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Security questions"
    with table.open(encoding="utf-8", newline="") as rows:
        for row in csv.reader(rows):
            sheet.append(row)
    book.save(target)


def _commit_history(repo: Path, history: tuple[tuple[str, str, str, str | None], ...]) -> None:
    for broken in BROKEN:
        (repo / broken).unlink()
    _git(repo, FIRST_COMMIT, "init", "--quiet", "--initial-branch=main")
    _git(repo, FIRST_COMMIT, "add", "--all")
    _git(repo, FIRST_COMMIT, "commit", "--quiet", "--message", "The sample repository")
    for path, text, replacement, day in history:
        target = repo / path
        before = target.read_text(encoding="utf-8")
        if text not in before:
            raise PluginError(f"sample history: {text!r} is not in {path}")
        target.write_text(before.replace(text, replacement, 1), encoding="utf-8")
        if day is not None:
            _git(repo, day, "commit", "--quiet", "--all", "--message", f"Edit {path}")


def _git(repo: Path, day: str, *args: str) -> None:
    """git in the sample copy, with a fixed author and `day` (noon UTC) as the commit's date, and
    none of the settings of whoever builds the documentation."""
    stamp = f"{day}T12:00:00Z"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_DATE": stamp}
    env |= {"GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "Sam Ple", "GIT_COMMITTER_NAME": "Sam Ple"}
    env |= {"GIT_AUTHOR_EMAIL": "sam@example.com", "GIT_COMMITTER_EMAIL": "sam@example.com"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PluginError(f"sample history: git {shlex.join(args)} failed:\n{done.stderr}")


def _include(path: str, docs: Path) -> str:
    target = (docs / path).resolve()
    if not target.is_file() or not target.is_relative_to(docs.parent.resolve()):
        raise PluginError(f"<!-- include: {path} -->: no such file in the repository")
    text = target.read_text(encoding="utf-8")
    return f"```{LANGUAGES.get(target.suffix, 'text')}\n{text}{'' if text.endswith(chr(10)) else chr(10)}```"


def _modules(path: str, docs: Path) -> str:
    """One table per package (the top-level modules first), each package's own docstring above it."""
    root = (docs / path).resolve()
    if not (root / "__init__.py").is_file():
        raise PluginError(f"<!-- modules: {path} -->: no such Python package")
    packages = sorted((p.parent for p in root.rglob("__init__.py")), key=lambda p: (p != root, p))
    return "\n\n".join(_package_table(root, package) for package in packages)


def _package_table(root: Path, package: Path) -> str:
    name = root.name if package == root else package.relative_to(root).as_posix()
    rows = ["| module | what it is |", "| --- | --- |"]
    for module in sorted(package.glob("*.py")):
        if module.name != "__init__.py" and not RULE_MODULE.search(f"{name}/{module.name}"):
            rows.append(f"| `{module.name}` | {_first_paragraph(module)} |")
    return f"### `{name}/`\n\n{_first_paragraph(package / '__init__.py')}\n\n" + "\n".join(rows)


def _first_paragraph(module: Path) -> str:
    doc = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))) or ""
    return " ".join(doc.split("\n\n")[0].split()).replace("|", r"\|").replace("<", "&lt;")
