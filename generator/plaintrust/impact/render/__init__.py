"""`plaintrust impact`'s formats, chosen by name: each turns a `report.Impact` into text.

`text` for a terminal, `markdown` for a pull-request comment, `json` for scripts (described by
schemas/impact.schema.json) and `github` for workflow annotations. All four say the same summary
line (`shared.summary`), and none reads a file.
"""

from __future__ import annotations

from collections.abc import Callable

from plaintrust.impact.render.as_github import github
from plaintrust.impact.render.as_json import as_json
from plaintrust.impact.render.as_markdown import MARKER, markdown
from plaintrust.impact.render.as_text import text
from plaintrust.impact.render.shared import summary
from plaintrust.impact.report import Impact

Reporter = Callable[[Impact], str]

REPORTERS: dict[str, Reporter] = {"text": text, "markdown": markdown, "json": as_json, "github": github}

__all__ = ["MARKER", "REPORTERS", "Reporter", "summary"]
