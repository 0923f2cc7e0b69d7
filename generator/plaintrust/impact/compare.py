"""Two sides -> the Impact: what the change does to controls, gap status, public claims, evidence,
the ledger, policies and the files controls watch, and what `check` newly finds at the head.

Both sides were judged on one day (`snapshot.take`), so a status moves only because a file did.
Files are read through `Snapshot.read` alone; nothing here opens a path itself.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from plaintrust.diagnostics import Diagnostic, Severity
from plaintrust.evidence import ledger
from plaintrust.impact import claims
from plaintrust.impact.report import SECTIONS, Detail, Finding, Impact, Item
from plaintrust.impact.snapshot import Snapshot
from plaintrust.internal import gaps
from plaintrust.load.discovery import PROGRAM, TRUST
from plaintrust.load.watchglob import is_glob, matches
from plaintrust.load.watchregion import describe, region, start_line
from plaintrust.model import Control, EvidenceRecord, Model, Policy, Watch

LEAK_RULES = frozenset({"internal-value", "evidence-copy", "public-markup", "site-markup", "policy-markup"})
_RANK = {gaps.ReqStatus.MET: 2, gaps.ReqStatus.PARTIAL: 1, gaps.ReqStatus.NOT_MET: 0}
_SHORT = 12  # characters of a sha256 a reader sees


def impact(base: Snapshot, head: Snapshot, notes: Iterable[str] = ()) -> Impact:
    """What changes from `base` to `head`: every section of SECTIONS, the head's new leaks and errors."""
    old, new = base.result.model, head.result.model
    public, public_notes = claims.compare(base, head)
    requirements, requirement_notes = _requirements(old, new)
    found = {
        "controls": _controls(old, new),
        "requirements": requirements,
        "public": public,
        "evidence": _evidence(old, new),
        "ledger": _ledger(base.read(ledger.PATH), head.read(ledger.PATH)),
        "policies": _policies(old, new),
        "anchors": _anchors(base, head),
    }
    return Impact(
        base.side,
        head.side,
        new.today,
        {name: tuple(sorted(found[name], key=lambda i: _order(i.key))) for name in SECTIONS},
        _new_findings(base, head, lambda d: d.rule in LEAK_RULES),
        _new_findings(base, head, lambda d: d.rule not in LEAK_RULES and d.severity is Severity.ERROR),
        (*notes, *public_notes, *requirement_notes),
        _unjudged(old, new),
    )


# What a kind of file (`Model.incomplete`) is called when one of them fails to load.
_KINDS = {
    "program": "controls/program.yaml",
    "catalog": "A framework catalog",
    "control": "A control file",
    "evidence": "An evidence record",
    "trust": "site/trust.yaml",
    "update": "A notice",
    "policy": "A policy",
    "answer": "An answer",
}
_HIDDEN = "a status drop or a public change there cannot be seen"
# What one file of a kind is called when it is named with its id.
_NAMED = {"update": "notice", "evidence": "evidence record"}


def _unjudged(old: Model, new: Model) -> tuple[str, ...]:
    """Why the change cannot be judged whole: what the base could use and the head cannot. The
    sections compare what loaded, so a file broken at the head would hide a drop: fail closed."""
    reasons = [f"{_KINDS.get(kind, kind)} fails to load at the head: {_HIDDEN}." for kind in _broken_kinds(old, new)]
    lost = {"program": old.program and not new.program, "trust": old.trust and not new.trust}
    for kind, path in (("program", PROGRAM), ("trust", TRUST)):
        if lost[kind] and kind not in new.incomplete:  # not broken: gone
            reasons.append(f"{path} is missing at the head: {_HIDDEN}.")
    frameworks = _lost_frameworks(old, new)
    reasons += [f"The {name} framework has no usable catalog at the head: {_HIDDEN}." for name in frameworks]
    # By kind and id: an answer's id may be a control's too, and a base with one broken answer
    # must not hide the next.
    fresh = sorted((k, i) for k, i in new.broken - old.broken if not (k == "catalog" and i in frameworks))
    if fresh and not reasons:  # a kind the base had broken already: name what broke now
        named = ", ".join(f"{_NAMED.get(kind, kind)} {ident}" for kind, ident in fresh)
        reasons.append(f"{named} {'fails' if len(fresh) == 1 else 'fail'} to load at the head: {_HIDDEN}.")
    return tuple(reasons)


def _broken_kinds(old: Model, new: Model) -> list[str]:
    """Kinds of file of which one fails to load at the head and none did at the base, in _KINDS order."""
    fresh = new.incomplete - old.incomplete
    return [*(k for k in _KINDS if k in fresh), *sorted(fresh - set(_KINDS))]


def _lost_frameworks(old: Model, new: Model) -> list[str]:
    """Frameworks the head's program.yaml lists and the base could judge, whose catalog the head
    cannot use (a catalog file gone or broken): their requirements would read as removed, not as a
    drop. Judged whatever other catalog was broken already."""
    if old.program is None or new.program is None:
        return []
    listed = {e.get("id") for e in new.program.source.data.get("frameworks") or () if isinstance(e, dict)}
    usable = {f.id for f in new.program.frameworks}
    return sorted(f.id for f in old.program.frameworks if f.id in listed and f.id not in usable)


def _order(key: str) -> list[Any]:
    """Keys in natural order: entry 9 before entry 10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def _short(digest: str | None) -> str | None:
    return digest[:_SHORT] if digest else digest


def _fields_differ(old: Mapping[str, str | None], new: Mapping[str, str | None]) -> tuple[Detail, ...]:
    """One Detail per field whose text differs, in the order the fields were listed."""
    return tuple(
        Detail(name, old.get(name), new.get(name))
        for name in dict.fromkeys([*old, *new])
        if old.get(name) != new.get(name)
    )


def _line_of(item_source: Any, field: str) -> int:
    """The line of a field ("satisfies.soc2" -> its key) in the head's file."""
    return item_source.key_at(*field.split(".")).line


# -- controls ---------------------------------------------------------------------------------------


def _controls(old: Model, new: Model) -> list[Item]:
    before, after = old.controls_by_id, new.controls_by_id
    items = []
    for control_id in dict.fromkeys([*after, *before]):
        was, now = before.get(control_id), after.get(control_id)
        if now is None or was is None:
            shown = now or was
            assert shown is not None
            status = Detail("status", was.status.value if was else None, now.status.value if now else None)
            change = "added" if was is None else "removed"
            items.append(Item(change, control_id, shown.title, (status,), path=shown.source.path))
            continue
        details = _fields_differ(_control_fields(was), _control_fields(now))
        if details:
            line = _line_of(now.source, details[0].field)
            items.append(Item("changed", control_id, now.title, details, path=now.source.path, line=line))
    return items


def _control_fields(control: Control) -> dict[str, str | None]:
    public = control.public
    fields: dict[str, str | None] = {"title": control.title, "status": control.status.value}
    fields.update({f"satisfies.{f}": ", ".join(ids) for f, ids in sorted(control.satisfies.items())})
    fields["evidence"] = ", ".join(control.evidence) or None
    fields["public.category"] = public.category if public else None
    fields["public.title"] = public.title if public else None
    fields["public.summary"] = public.summary if public else None
    fields["watches"] = ", ".join(w.spec for w in control.watches) or None
    fields.update(owner=control.owner, frequency=control.frequency, description=control.description)
    return fields


# -- requirements -----------------------------------------------------------------------------------


def _requirements(old: Model, new: Model) -> tuple[list[Item], tuple[str, ...]]:
    """Gap status per requirement on both sides; not compared when a side has no usable program (a
    head that lost the base's is no note but a reason the change is unjudged)."""
    missing = [name for name, model in (("base", old), ("head", new)) if model.program is None]
    if missing == ["head"]:
        return [], ()
    if missing:
        note = f"Requirements were not compared: the {' and the '.join(missing)} has no usable controls/program.yaml."
        return [], (note,)
    changes = gaps.compare("base", old, _report(old), new, _report(new))
    return [_requirement(change) for change in changes.requirements], ()


def _report(model: Model) -> gaps.GapReport:
    """The part of the gap report `gaps.compare` reads: every framework's rows."""
    assert model.program is not None
    frameworks = tuple(gaps.framework_report(model, f) for f in model.program.frameworks)
    return gaps.GapReport(model.program.organization, model.today, frameworks, (), (), None, ())


def _requirement(change: gaps.StatusChange) -> Item:
    before = change.before.value if change.before else None
    after = change.after.value if change.after else None
    details = (Detail("status", before, after), *((Detail("why", None, change.why),) if change.why else ()))
    was, now = _RANK.get(change.before), _RANK.get(change.after)  # type: ignore[arg-type]
    drop = was is not None and now is not None and now < was
    kind = "added" if before is None else "removed" if after is None else "changed"
    return Item(kind, f"{change.framework} {change.id}", change.title, details, drop=drop)


# -- evidence ---------------------------------------------------------------------------------------


def _evidence(old: Model, new: Model) -> list[Item]:
    before, after = old.evidence_by_id, new.evidence_by_id
    items = []
    for record_id in dict.fromkeys([*after, *before]):
        was, now = before.get(record_id), after.get(record_id)
        files = _fields_differ(_pins(was), _pins(now))
        if was is None or now is None:
            shown = now or was
            assert shown is not None
            change = "added" if was is None else "removed"
            items.append(Item(change, record_id, shown.title, files, path=shown.source.path))
            continue
        fields = _fields_differ(_record_fields(was), _record_fields(now))
        if files or fields:
            line = _line_of(now.source, "files" if files else fields[0].field)
            change = "re-pinned" if files else "changed"
            items.append(Item(change, record_id, now.title, (*files, *fields), path=now.source.path, line=line))
    return items


def _pins(record: EvidenceRecord | None) -> dict[str, str | None]:
    """File path (as written, from evidence/) -> its pinned sha256, short ("unpinned" when none)."""
    if record is None:
        return {}
    return {f.path: _short(f.sha256) or "unpinned" for f in record.files}


def _record_fields(record: EvidenceRecord) -> dict[str, str | None]:
    covers = record.covers
    return {
        "title": record.title,
        "collected": record.collected.isoformat(),
        "covers": f"{covers.start.isoformat()} to {covers.end.isoformat()}" if covers else None,
        "refresh": record.refresh,
    }


# -- ledger -----------------------------------------------------------------------------------------


def _ledger(before: bytes | None, after: bytes | None) -> list[Item]:
    """Lines appended at the head: one `added` item each. When the base's lines are not the head's
    first lines, what an auditor must see: each base line edited in place (`changed`), gone
    (`removed`) or found again elsewhere (`moved`), each line inserted among them (`added`), and
    one `rewritten` item counting them."""
    old, new = ledger.lines(before or b""), ledger.lines(after or b"")
    kept = next((n for n, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    if kept == len(old):
        return [_entry("added", number, line) for number, line in enumerate(new[kept:], start=kept + 1)]
    blocks = [  # what differs: its base lines and its head lines (from 1), its kind, whether base lines follow
        ([kept + i + 1 for i in range(i1, i2)], [kept + j + 1 for j in range(j1, j2)], tag, kept + i2 < len(old))
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old[kept:], new[kept:], autojunk=False).get_opcodes()
        if tag != "equal"
    ]
    moves = _moves(old, new, [n for b in blocks for n in b[0]], [n for b in blocks for n in b[1]])
    edited, removed, added = [], [], []
    inserted = 0
    for gone, came, tag, among in blocks:
        gone, came = [n for n in gone if n not in moves], [n for n in came if n not in moves.values()]
        paired = min(len(gone), len(came)) if tag == "replace" else 0  # edited in place, line for line
        edited += [_changed(now, old[was - 1], new[now - 1]) for was, now in zip(gone, came[:paired], strict=False)]
        removed += [_entry("removed", n, old[n - 1]) for n in gone[paired:]]
        added += [_entry("added", n, new[n - 1]) for n in came[paired:]]
        inserted += len(came) - paired if among else 0  # not appended after the base's last line
    moved = [_moved(was, now, new[now - 1]) for was, now in moves.items()]
    counts = (len(edited), len(removed), len(moved), inserted)
    return [_rewritten(len(old), len(new), kept, counts), *_unique_keys([*edited, *moved, *removed, *added])]


def _moves(old: list[bytes], new: list[bytes], gone: list[int], came: list[int]) -> dict[int, int]:
    """Base line -> head line, for a line gone from its place that the head has, the very same,
    among its new lines (entries swapped, or cut and pasted): moved, neither vanished nor inserted."""
    moves: dict[int, int] = {}
    for now in came:
        was = next((n for n in gone if n not in moves and old[n - 1] == new[now - 1]), None)
        if was is not None:
            moves[was] = now
    return moves


def _moved(was: int, now: int, line: bytes) -> Item:
    entry = _fields(line)
    details = (Detail("line", str(was), str(now)),)
    return Item("moved", _entry_key(entry, now), _entry_title(entry, now), details, path=ledger.PATH, line=now)


def _unique_keys(items: list[Item]) -> list[Item]:
    """Keys stay unique in the section: a second item of one key (two lines claiming one seq) is
    told apart by its line."""
    seen: set[str] = set()
    unique = []
    for item in items:
        key = item.key if item.key not in seen else f"{item.key} (line {item.line})"
        seen.add(key)
        unique.append(item if key == item.key else dataclasses.replace(item, key=key))
    return unique


# What can become of a base line: (in a list of fates, alone).
_FATES = (("changed", "changed in place"), ("vanished", "vanished"), ("moved", "moved"))


def _rewritten(old: int, new: int, kept: int, counts: tuple[int, int, int, int]) -> Item:
    """One line on what became of the base's entries, counting only those that changed, vanished
    or moved, and those inserted among them."""
    changed, vanished, moved, inserted = counts
    fates = [(n, short, whole) for n, (short, whole) in zip((changed, vanished, moved), _FATES, strict=True) if n]
    title = ""
    if fates:
        shorts = [short for _, short, _ in fates]
        how = fates[0][2] if len(fates) == 1 else f"{', '.join(shorts[:-1])} or {shorts[-1]}"
        title = f"{changed + vanished + moved} of the base's {old} ledger entries {how}"
    if len(fates) > 1:
        title += " (" + ", ".join(f"{n} {whole}" for n, _, whole in fates) + ")"
    if inserted:
        among = "among them" if title else f"among the base's {old} ledger entries"
        title += ("; " if title else "") + f"{_counted(inserted, 'entry was', 'entries were')} inserted {among}"
    details = (Detail("entries", str(old), str(new)),)
    return Item("rewritten", "chain", f"{title} (from line {kept + 1})", details, path=ledger.PATH, line=kept + 1)


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _fields(line: bytes) -> dict[str, Any]:
    """A ledger line's JSON object; empty when it is not one."""
    try:
        entry = json.loads(line)
    except ValueError:
        return {}
    return entry if isinstance(entry, dict) else {}


def _entry(change: str, number: int, line: bytes) -> Item:
    """A line added (`number` its line at the head) or removed (at the base)."""
    entry = _fields(line)
    sha = entry.get("sha256")
    sha = _short(sha) if isinstance(sha, str) else None
    details = (Detail("sha256", None, sha) if change == "added" else Detail("sha256", sha, None),) if sha else ()
    return Item(change, _entry_key(entry, number), _entry_title(entry, number), details, path=ledger.PATH, line=number)


def _changed(number: int, was: bytes, now: bytes) -> Item:
    """A base line edited in place, `number` its line at the head: each field that differs."""
    before, after = _fields(was), _fields(now)
    if not before or not after:
        details: tuple[Detail, ...] = (Detail("line", _digest(was), _digest(now)),)
    else:
        shown = {k: _entry_value(k, v) for k, v in before.items()}, {k: _entry_value(k, v) for k, v in after.items()}
        details = _fields_differ(*shown) or (Detail("line", _digest(was), _digest(now)),)
    entry = after or before
    key, title = _entry_key(entry, number), _entry_title(entry, number)
    return Item("changed", key, title, details, path=ledger.PATH, line=number)


def _entry_value(name: str, value: Any) -> str | None:
    """A ledger field as text; its hashes short, as everywhere in the report."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value)
    return _short(text) if name in ("sha256", "prev") else text


def _entry_key(entry: dict[str, Any], number: int) -> str:
    seq = entry.get("seq")
    return f"entry {seq if isinstance(seq, int) and not isinstance(seq, bool) else number}"


def _entry_title(entry: dict[str, Any], number: int) -> str:
    title = " ".join(str(entry.get(name)) for name in ("record", "file") if isinstance(entry.get(name), str))
    return title or f"line {number}"


# -- policies ---------------------------------------------------------------------------------------


def _policies(old: Model, new: Model) -> list[Item]:
    before, after = old.policies_by_id, new.policies_by_id
    items = []
    for policy_id in dict.fromkeys([*after, *before]):
        was, now = before.get(policy_id), after.get(policy_id)
        details = _fields_differ(_policy_fields(was), _policy_fields(now))
        if not details:
            continue
        if was is None or now is None:
            shown = now or was
            assert shown is not None
            change = "added" if was is None else "removed"
            items.append(Item(change, policy_id, shown.title, details, path=shown.source.path))
        else:
            first = details[0].field
            line = now.body_line if first == "text" else _line_of(now.source, first)
            items.append(Item("changed", policy_id, now.title, details, path=now.source.path, line=line))
    return items


def _policy_fields(policy: Policy | None) -> dict[str, str | None]:
    if policy is None:
        return {}
    return {
        "title": policy.title,
        "version": policy.version,
        "effective": policy.effective.isoformat(),
        "approved_on": policy.approved_on.isoformat() if policy.approved_on else None,
        "public": policy.public,
        "text": _short(policy.text_sha256),
    }


# -- anchors ----------------------------------------------------------------------------------------


def _anchors(base: Snapshot, head: Snapshot) -> list[Item]:
    """One item per (control, watch, file) whose watched bytes (or region) differ between the sides."""
    old, new = base.result.model.controls_by_id, head.result.model.controls_by_id
    items: list[Item] = []
    for control_id in dict.fromkeys([*new, *old]):
        watches = {w.spec: w for c in (old.get(control_id), new.get(control_id)) if c for w in c.watches}
        for watch in watches.values():
            items += _touched(base, head, control_id, watch)
    return items


def _touched(base: Snapshot, head: Snapshot, control_id: str, watch: Watch) -> Iterator[Item]:
    named = sorted({p for p in (*base.paths, *head.paths) if matches(watch.pattern, p)})
    for path in named:
        change = _watched_change(base, head, path, watch)
        if change is None:
            continue
        key = f"{control_id} {watch.spec}" if not is_glob(watch.pattern) else f"{control_id} {watch.spec}: {path}"
        matched = f" as {watch.pattern}" if is_glob(watch.pattern) else ""  # which glob named it
        title = f"{path} ({_region_words(watch)}watched by {control_id}{matched})"
        line = _region_line(head, path, watch)
        yield Item("touched", key, title, (_digests(*change),), path=path, line=line)


def _digests(was: str | bytes | None, now: str | bytes | None) -> Detail:
    """The watched bytes (or region) at each side as a short sha256: what an auditor can match."""
    field = "sha256"
    return Detail(field, _digest(was), _digest(now))


def _digest(content: str | bytes | None) -> str | None:
    if content is None:
        return None
    data = content.encode("utf-8") if isinstance(content, str) else content
    return _short(hashlib.sha256(data).hexdigest())


def _region_words(watch: Watch) -> str:
    """As control-drift says it: two regions of one file stay apart."""
    words = describe(watch)
    return f"{words}, " if words else ""


def _watched_change(
    base: Snapshot, head: Snapshot, path: str, watch: Watch
) -> tuple[str | bytes | None, str | bytes | None] | None:
    """The watched bytes (or region) at the base and at the head (None: absent), or None when they
    are the same."""
    was: str | bytes | None
    now: str | bytes | None
    if watch.region:
        was, now = (_region_text(side, path, watch) for side in (base, head))
    else:
        was, now = (side.read(path) if path in side.paths else None for side in (base, head))
        if path in base.paths and path in head.paths and was is None and now is None:
            return None  # present on both sides but unreadable (a link, too large): nothing to tell
    return None if was == now else (was, now)


def _region_text(side: Snapshot, path: str, watch: Watch) -> str | None:
    data = side.read(path)
    return None if data is None else region(data.decode("utf-8", "replace"), watch)


def _region_line(head: Snapshot, path: str, watch: Watch) -> int | None:
    """Where the region starts at the head: its first line, or the line after the start marker."""
    if watch.lines is not None:  # no need to read the file
        return watch.lines[0]
    data = head.read(path) if watch.marker is not None else None
    return None if data is None else start_line(data.decode("utf-8", "replace"), watch)


# -- leaks and errors -------------------------------------------------------------------------------


def _new_findings(base: Snapshot, head: Snapshot, chosen: Callable[[Diagnostic], bool]) -> tuple[Finding, ...]:
    """The head's chosen diagnostics absent from the base (by file, rule and message: lines move)."""
    seen = {(d.path, d.rule, d.message) for d in base.result.diagnostics if chosen(d)}
    return tuple(
        Finding(d.path, d.line, d.col, d.rule, d.message)
        for d in head.result.diagnostics
        if chosen(d) and (d.path, d.rule, d.message) not in seen
    )
