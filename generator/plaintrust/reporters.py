"""Diagnostics out: `text`, `json`, `github` (workflow annotations) and `sarif` (2.1.0), chosen by name."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from plaintrust import __version__
from plaintrust.diagnostics import Diagnostic, Severity, count
from plaintrust.diagnostics import printable as shown

Reporter = Callable[[Sequence[Diagnostic]], str]


def _texts(d: Diagnostic) -> tuple[str, str, str, str | None]:
    """path, rule, message and hint of `d`, each `shown`."""
    return shown(d.path), shown(d.rule), shown(d.message), shown(d.hint) if d.hint else d.hint


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    errors, warnings = count(diagnostics, Severity.ERROR), count(diagnostics, Severity.WARNING)
    if not errors and not warnings:
        return "no problems found"
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def text(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        path, rule, message, hint = _texts(d)
        lines.append(f"{path}:{d.line}:{d.col}: {d.severity} [{rule}] {message}")
        if hint:
            lines.append(f"    hint: {hint}")
    return "".join(line + "\n" for line in lines)


def as_json(diagnostics: Sequence[Diagnostic]) -> str:
    payload = {
        "diagnostics": [_json_entry(d) for d in diagnostics],
        "summary": {"errors": count(diagnostics, Severity.ERROR), "warnings": count(diagnostics, Severity.WARNING)},
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _json_entry(d: Diagnostic) -> dict:
    path, rule, message, hint = _texts(d)
    return {
        "path": path,
        "line": d.line,
        "col": d.col,
        "severity": str(d.severity),
        "rule": rule,
        "message": message,
        "hint": hint,
    }


def github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each diagnostic annotates its line in the pull request."""
    lines = []
    for d in diagnostics:
        path, rule, message, hint = _texts(d)
        props = f"file={escape_property(path)},line={d.line},col={d.col},title={escape_property(rule)}"
        message += f" (hint: {hint})" if hint else ""
        lines.append(f"::{d.severity} {props}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def escape_data(value: str) -> str:
    """`value` as the message of a workflow command: GitHub reads %, CR and LF there."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """`value` as a workflow command's property (file=, title=), where `:` and `,` also delimit."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def sarif(diagnostics: Sequence[Diagnostic]) -> str:
    """SARIF 2.1.0, for code-scanning dashboards."""
    from plaintrust import rules  # every rule module, for their summaries: only SARIF names them

    known = dict(rules.documentation())
    used = sorted({shown(d.rule) for d in diagnostics})
    driver = {
        "name": "plaintrust",
        "version": __version__,
        "rules": [{"id": r, "shortDescription": {"text": known.get(r, r)}} for r in used],
    }
    results = [_sarif_result(d, used.index(shown(d.rule))) for d in diagnostics]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_result(d: Diagnostic, rule_index: int) -> dict:
    path, rule, message, hint = _texts(d)
    location = {"artifactLocation": {"uri": path}, "region": {"startLine": d.line, "startColumn": d.col}}
    text = message + (f" (hint: {hint})" if hint else "")
    return {
        "ruleId": rule,
        "ruleIndex": rule_index,
        "level": "error" if d.severity is Severity.ERROR else "warning",
        "message": {"text": text},
        "locations": [{"physicalLocation": location}],
    }


REPORTERS: dict[str, Reporter] = {"text": text, "json": as_json, "github": github, "sarif": sarif}
