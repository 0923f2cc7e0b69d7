"""The gap report's renderers: a GapReport into the auditor's formats, html (standalone), md, csv, xlsx, json."""

from __future__ import annotations

from collections.abc import Callable

from plaintrust.internal.gaps import GapReport
from plaintrust.internal.render import as_html, as_json, as_markdown, tables

Renderer = Callable[[GapReport], bytes]

RENDERERS: dict[str, Renderer] = {
    "html": as_html.render,
    "md": as_markdown.render,
    "csv": tables.requirements_csv,
    "xlsx": tables.workbook,
    "json": as_json.render,
}
