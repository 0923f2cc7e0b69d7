"""The impact as JSON (`plaintrust-impact/1`), as schemas/impact.schema.json describes it.

Keys come in one fixed order and every value is whole (nothing cut), so a script can diff two
reports or read one field without parsing text."""

from __future__ import annotations

import json
from typing import Any

from plaintrust.diagnostics import printable
from plaintrust.impact.render.shared import drops, summary
from plaintrust.impact.report import FAIL_ON, SECTIONS, Detail, Finding, Impact, Item, Side

FORMAT = "plaintrust-impact/1"


def as_json(impact: Impact) -> str:
    document = {
        "format": FORMAT,
        "base": _side(impact.base),
        "head": _side(impact.head),
        "today": impact.today.isoformat(),
        "summary": _summary(impact),
        "sections": {name: [_item(item) for item in impact.items(name)] for name in SECTIONS},
        "leaks": [_finding(f) for f in impact.leaks],
        "errors": [_finding(f) for f in impact.errors],
        "unjudged": [printable(reason) for reason in impact.unjudged],
        "notes": [printable(note) for note in impact.notes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _summary(impact: Impact) -> dict[str, Any]:
    counts = {name: len(impact.items(name)) for name in SECTIONS}
    return {
        "line": summary(impact),
        **counts,
        "drops": sum(drops(impact.items(name)) for name in SECTIONS),
        "leaks": len(impact.leaks),
        "errors": len(impact.errors),
        "meets": list(impact.failing(FAIL_ON)),
    }


def _side(side: Side) -> dict[str, Any]:
    return {
        "label": printable(side.label),
        "commit": side.commit,
        "day": side.day.isoformat() if side.day else None,
    }


def _item(item: Item) -> dict[str, Any]:
    return {
        "change": item.change,
        "key": printable(item.key),
        "title": printable(item.title),
        "area": item.area,
        "drop": item.drop,
        "path": _maybe(item.path),
        "line": item.line,
        "details": [_detail(d) for d in item.details],
    }


def _detail(detail: Detail) -> dict[str, Any]:
    return {"field": printable(detail.field), "before": _maybe(detail.before), "after": _maybe(detail.after)}


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "path": printable(finding.path),
        "line": finding.line,
        "col": finding.col,
        "rule": printable(finding.rule),
        "message": printable(finding.message),
    }


def _maybe(value: str | None) -> str | None:
    return None if value is None else printable(value)
