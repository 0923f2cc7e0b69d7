"""Editor support in the example: each YAML file names its schema in its first line (yaml-language-server),
the schemas are committed at the repository root, and the loader reads the comment as the comment it is."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from helpers import write
from plaintrust import cli, pipeline, schemas
from plaintrust.errors import ExitCode

ROOT = Path(__file__).parents[2]
SCHEMA_DIR = ROOT / "schemas"
LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\r?\n")


def _example_files() -> dict[str, str]:
    """Every YAML file the example's check reads, with its kind; pinned evidence files are not records."""
    model = pipeline.run(ROOT).model
    files = {c.source.path: "control" for c in model.controls}
    files |= {r.source.path: "evidence" for r in model.evidence}
    files |= {a.source.path: "answer" for a in model.answers}
    return files | {"controls/program.yaml": "program", "site/trust.yaml": "trust"}


def test_every_example_yaml_file_names_its_schema_first() -> None:
    files = _example_files()
    assert len(files) > 300
    wrong = []
    for rel, kind in sorted(files.items()):
        match = LINE.match((ROOT / rel).read_text(encoding="utf-8"))
        expected = Path(os.path.relpath(SCHEMA_DIR / f"plaintrust-{kind}.schema.json", (ROOT / rel).parent)).as_posix()
        if not match or match.group(1) != expected:
            wrong.append(rel)
    assert wrong == []


def test_the_committed_schemas_are_what_plaintrust_schema_writes(tmp_path: Path, golden) -> None:
    """`make golden` (or `plaintrust schema schemas`) rewrites them after a schema changes."""
    if golden.update:
        schemas.write_all(SCHEMA_DIR)
    names = schemas.write_all(tmp_path)
    assert sorted(p.name for p in SCHEMA_DIR.iterdir()) == sorted(names)
    stale = [n for n in names if (SCHEMA_DIR / n).read_bytes() != (tmp_path / n).read_bytes()]
    assert stale == [], "run `plaintrust schema schemas` at the repository root"
    assert all(json.loads((SCHEMA_DIR / n).read_text())["$schema"] for n in names)


def test_the_example_still_checks_clean_and_its_evidence_verifies(runner) -> None:
    check = runner.invoke(cli.cli, ["check", "--root", str(ROOT)])
    assert check.exit_code == ExitCode.OK, check.output
    verify = runner.invoke(cli.cli, ["evidence", "verify", "--root", str(ROOT)])
    assert verify.exit_code == ExitCode.OK, verify.output


@pytest.mark.parametrize(
    "rel", ["controls/access/ac-01.yaml", "evidence/access/mfa-policy.yaml", "controls/program.yaml", "site/trust.yaml"]
)
def test_the_loader_reads_the_schema_comment_as_a_comment(base_repo: Path, rel: str) -> None:
    path = base_repo / rel
    before = pipeline.run(base_repo, cache=False)
    write(base_repo, rel, "# yaml-language-server: $schema=../schemas/x.schema.json\n" + path.read_text())
    after = pipeline.run(base_repo, cache=False)
    assert after.diagnostics == before.diagnostics == ()
    assert [c.title for c in after.model.controls] == [c.title for c in before.model.controls]
