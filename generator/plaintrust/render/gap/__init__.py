"""GapReport -> the auditor's formats: html (standalone), md, csv, xlsx, json."""

from __future__ import annotations

from typing import Callable

from plaintrust.gaps import GapReport
from plaintrust.render.gap import as_html, as_json, as_markdown, tables

Renderer = Callable[[GapReport], bytes]

RENDERERS: dict[str, Renderer] = {
    "html": as_html.render,
    "md": as_markdown.render,
    "csv": tables.requirements_csv,
    "xlsx": tables.workbook,
    "json": as_json.render,
}
