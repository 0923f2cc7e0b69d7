"""MkDocs hook: real output and real files in the pages, never copies typed by hand.

`<!-- run: NAME -->` on a line of its own becomes the command SAMPLES[NAME] and what it printed
(standard output and error, as a terminal shows them) when run at build time on a copy of the
sample repository in docs/samples/repo/, with the day pinned so the output does not drift.
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
}
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
        _outputs[name] = _output(SAMPLES[name], docs / "samples")
    command = shlex.join(["plaintrust", *SAMPLES[name]])
    return f"```sh\n{command}\n```\n\n```text\n{_outputs[name]}```"


def _output(args: list[str], samples: Path) -> str:
    """What the command prints on a fresh copy of the sample repository (and the sample files beside it)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": DAY, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        shutil.copytree(samples / "repo", repo)
        for extra in (f for f in samples.iterdir() if f.is_file()):
            shutil.copy(extra, repo)
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
