"""The impact as GitHub Actions workflow commands: one annotation per item that has a file, then
the notes and the summary line.

`::error` for what could not be judged, a leak or a new error, `::warning` for a status drop and a
drift anchor touched, `::notice` for the rest. Values pass `logged` (one line, no control
character, no `##[` GitHub would obey), then GitHub's own escaping (`%`, CR and LF everywhere; `:`
and `,` also in properties)."""

from __future__ import annotations

from plaintrust.impact.render.shared import TITLES, detail_text, heading, listed_details, logged, summary
from plaintrust.impact.report import SECTIONS, Finding, Impact, Item
from plaintrust.reporters import escape_data, escape_property


def github(impact: Impact) -> str:
    lines = [f"::error title=Not judged::{escape_data(logged(reason))}" for reason in impact.unjudged]
    lines += [_finding("Leak", f) for f in impact.leaks]
    lines += [_finding("New error", f) for f in impact.errors]
    lines += [_item(name, item) for name in SECTIONS for item in impact.items(name) if item.path]
    lines += [f"::notice title=Note::{escape_data(logged(note))}" for note in impact.notes]
    lines.append(f"::notice title=Compliance impact::{escape_data(summary(impact))}")
    return "".join(line + "\n" for line in lines)


def _command(level: str, path: str, line: int | None, title: str, message: str, col: int | None = None) -> str:
    props = [f"file={escape_property(logged(path, None))}"]  # a real path never holds `##[`
    props += [f"line={line}"] if line else []
    props += [f"col={col}"] if col else []
    props.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def _finding(kind: str, finding: Finding) -> str:
    title = f"{kind}: {logged(finding.rule)}"
    return _command("error", finding.path, finding.line, title, logged(finding.message), finding.col)


def _item(section: str, item: Item) -> str:
    level = "warning" if item.drop or section == "anchors" else "notice"
    shown, more = listed_details(item)
    change = logged(item.change)
    message = f"{change} {heading(section, item, logged)}" + (" (status drop)" if item.drop else "")
    fields = [detail_text(d, logged) for d in shown] + ([f"… and {more} more"] if more else [])
    message += "".join(f"; {field}" for field in fields)
    return _command(level, item.path or "", item.line, f"{TITLES[section]}: {change}", message)
