"""Markdown with YAML front matter (`---` ... `---`), as used by site/updates/*.md."""

from __future__ import annotations

from dataclasses import dataclass

from plaintrust.diagnostics import Location
from plaintrust.load.yamlfile import Parsed, decode, parse_text


@dataclass(frozen=True)
class Page:
    """A Markdown file split into its parsed front matter and its body."""

    parsed: Parsed
    body: str
    body_line: int  # 1-based line where the body starts


def parse_page(path: str, raw: bytes) -> Page:
    text, problem = decode(path, raw)
    if problem:
        return Page(Parsed(None, (problem,)), "", 1)
    assert text is not None  # decode returns the text whenever it finds no problem
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        missing = Location(path).error(
            "front-matter",
            "the file does not start with YAML front matter ('---')",
            "begin with a line '---', the fields, then another '---'",
        )
        return Page(Parsed(None, (missing,)), text, 1)
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            matter = "".join(lines[1:index])
            return Page(parse_text(path, matter, line_offset=1), "".join(lines[index + 1 :]), index + 2)
    unclosed = Location(path).error("front-matter", "the front matter is never closed with '---'")
    return Page(Parsed(None, (unclosed,)), text, 1)
