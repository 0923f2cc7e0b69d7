"""`plaintrust policy approve`: record who approved a policy, when, and which text.

The policy's front matter is edited as text, never written out again: only the values of
`approved_by`, `approved_on` and (when they change) `version` and `effective` change, or their lines are
added right after `version:`. Every other byte stays: comments, key order, quoting, line endings, a byte-order mark.
The result is parsed again and must hold exactly the old values with these changes, or nothing is
written. Then one entry is appended to the evidence ledger: `record` is `policy:ID`, `sha256` the
digest of the approved text, so the ledger's published head anchors the approval.

The policy is written first and the ledger second; should the append fail, the policy gets its
previous bytes back, so neither ever claims an approval the other lacks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from plaintrust import frontedit, policies, yamltext
from plaintrust.diagnostics import Diagnostic, Location, Severity
from plaintrust.errors import Refused
from plaintrust.evidence import ledger
from plaintrust.frontedit import CannotEdit
from plaintrust.load import discovery
from plaintrust.load.frontmatter import parse_page
from plaintrust.model import Policy
from plaintrust.output import write_file
from plaintrust.pipeline import Result
from plaintrust.suggest import did_you_mean

RULE = "policy-approve"  # the policy could not be rewritten, or the ledger not appended to


@dataclass(frozen=True)
class Approved:
    """What `approve` did: the entry it appended, or (entry None) the problems that stopped it."""

    policy: str
    version: str
    entry: ledger.Entry | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    # The text differs from the one the ledger last approved, yet customers see the same version.
    same_version_new_text: bool = False
    effective: dt.date | None = None  # the new `effective` day, when the approval changed it


def approve(
    root: Path,
    result: Result,
    policy_id: str,
    by: str,
    version: str | None,
    moment: dt.datetime,
    on: dt.date | None = None,
    effective: dt.date | None = None,
) -> Approved:
    """Approve the policy `policy_id` of `result` (a pipeline run on `root`) as `by`, recorded at
    `moment`; `on` is the day the approval was given when earlier (default: the day of `moment`).
    `effective` sets the day the version takes effect; a `version` other than the file's, without
    one, takes effect on the day of the approval unless the file's day is later. Raises Refused when
    no policy file has that id."""
    paths = _files_of(root, result, policy_id)
    policy = result.model.policies_by_id.get(policy_id)
    stopped = [d for d in result.diagnostics if d.path in paths and d.severity is Severity.ERROR]
    if policy is None or stopped:
        unloaded = Location(min(paths)).error(RULE, f"policy {policy_id} does not load: run `plaintrust check`")
        return Approved(policy_id, policy.version if policy else "", diagnostics=tuple(stopped or [unloaded]))
    values = _values(policy, by, on or moment.astimezone(dt.UTC).date(), version, effective)
    with ledger.held(root) as (book, broken):  # another approval or pin waits: the chain stays one
        if book is None:
            return Approved(policy.id, policy.version, diagnostics=tuple(broken))
        try:
            return _write(root, policy, values, book, result, moment, plain=version is None and effective is None)
        except CannotEdit as exc:
            where = Location(policy.source.path)
            return Approved(policy.id, policy.version, diagnostics=(where.error(RULE, f"cannot approve: {exc}"),))


def _values(policy: Policy, by: str, day: dt.date, version: str | None, effective: dt.date | None) -> dict[str, str]:
    """The front-matter fields an approval sets. A new version without a day to take effect takes
    effect on the day it is approved, as its old `effective` belonged to the previous version; but a
    later day in the file was prepared for the new version and stays. The same version keeps its day."""
    values = {"approved_by": by, "approved_on": day.isoformat()}
    if version is not None and version != policy.version:
        values["version"] = version
    if effective is None and "version" in values and policy.effective < day:
        effective = day
    if effective is not None and effective != policy.effective:
        values["effective"] = effective.isoformat()
    return values


def _files_of(root: Path, result: Result, policy_id: str) -> set[str]:
    """The files whose front matter has this id (two when it is a duplicate), loaded or not: the
    errors of a file that does not load are reported rather than a did-you-mean."""
    ids = _ids_by_file(root, result)
    paths = {path for path, found in ids.items() if found == policy_id}
    if paths:
        return paths
    known = sorted(set(ids.values()))
    hint = did_you_mean(policy_id, known)
    listed = (
        f"; {hint}" if hint else (f" (the policies are {', '.join(known)})" if known else " (policies/ holds none)")
    )
    raise Refused(f"no policy has the id {policy_id!r}{listed}", param_hint="ID")


def _ids_by_file(root: Path, result: Result) -> dict[str, str]:
    """Policy file -> the id it declares; a file that did not load is read for its id alone."""
    ids = {p.source.path: p.id for p in result.model.policies}
    for rel in discovery.walk(root, "policies", (".md",)):
        if rel in ids:
            continue
        try:
            document = parse_page(rel, (root / rel).read_bytes()).parsed.document
        except OSError:
            continue
        data = document.data if document is not None else None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids[rel] = data["id"]
    return ids


def _write(
    root: Path,
    policy: Policy,
    values: Mapping[str, str],
    book: ledger.Ledger,
    result: Result,
    moment: dt.datetime,
    plain: bool,
) -> Approved:
    """Write `values` into the policy, then append its entry to the ledger. `plain` is an approval
    that names neither a version nor an effective day: only then is new text a silent change, since
    either option says the approver meant what customers read to change."""
    path = policy.source.path
    target = (root / path).resolve()  # a link inside the repository stays a link
    try:
        before = target.read_bytes()
    except OSError as exc:
        return Approved(
            policy.id, policy.version, diagnostics=(Location(path).error(RULE, _failed("read", path, exc)),)
        )
    after = set_fields(path, before, values)
    page = parse_page(path, after)
    assert page.parsed.document is not None  # set_fields parsed it
    data = page.parsed.document.data
    digest = policies.front_matter_digest(data, page.body)
    pin = (ledger.POLICY_PREFIX + policy.id, path, digest, len(page.body.encode("utf-8")))
    entry = ledger.next_entries(book, [pin], moment)[0]
    version = values.get("version", policy.version)
    try:
        write_file(target, after)
    except OSError as exc:
        return Approved(policy.id, version, diagnostics=(Location(path).error(RULE, _failed("write", path, exc)),))
    try:
        ledger.append(root, [entry])
    except BaseException as exc:
        write_file(target, before)  # no approval in the file that the ledger does not hold
        if not isinstance(exc, OSError):
            raise
        said = _failed("append to", ledger.PATH, exc) + f"; {path} was left as it was"
        return Approved(policy.id, version, diagnostics=(Location(ledger.PATH).error(RULE, said),))
    previous = result.model.approvals.get(policy.id)
    silent = plain and previous is not None and previous.sha256 != digest
    moved = dt.date.fromisoformat(values["effective"]) if "effective" in values else None
    return Approved(policy.id, version, entry, (), silent, moved)


def _failed(doing: str, path: str, exc: OSError) -> str:
    return f"cannot {doing} {path}: {exc.strerror or exc}"


def set_fields(path: str, raw: bytes, values: Mapping[str, str]) -> bytes:
    """`raw`, a Markdown file with front matter, with each of `values` set: an existing line's value
    replaced, a missing field's line added after `version:`. Raises CannotEdit."""
    result = frontedit.rewrite(raw, lambda text: _with_values(text, values))
    _confirm(path, raw, result, values)
    return result


def _with_values(text: str, values: Mapping[str, str]) -> str:
    found = frontedit.fields(text)
    edits = [_replace(found[name], name, value) for name, value in values.items() if name in found]
    missing = [f"{name}: {_shown(name, value)}" for name, value in values.items() if name not in found]
    if missing:
        if "version" not in found:
            raise CannotEdit("its front matter has no `version`")
        edits.append(frontedit.insert_after(text, found["version"], missing))
    return frontedit.apply(text, edits)


def _shown(name: str, value: str) -> str:
    """A new value as YAML: a date plain, as the policy files write dates (they are read as text);
    anything else quoted only when YAML would read it as another value (a version 1.10 as 1.1)."""
    return value if name in ("approved_on", "effective") else yamltext.scalar(value)


def _replace(field: frontedit.Field, name: str, value: str) -> frontedit.Edit:
    """The value's characters replaced, in the quotes it had. A value holding a line break is refused
    as well: a policy's fields are one line each, as the new value will be."""
    if isinstance(field.value, yaml.ScalarNode) and "\n" in field.value.value:
        raise CannotEdit(f"write its `{name}` as a one-line value")
    return frontedit.replace(field, value, _shown(name, value))


def _confirm(path: str, before: bytes, after: bytes, values: Mapping[str, str]) -> None:
    """The edit must change exactly these values: the same body, every other field as it was."""
    old, new = parse_page(path, before), parse_page(path, after)
    if old.parsed.document is None or new.parsed.document is None:
        raise CannotEdit("its front matter does not parse")
    expected = {**old.parsed.document.data, **values}
    if new.parsed.document.data != expected or new.body != old.body:
        raise CannotEdit(
            "the new values cannot be written without changing others; write each field on a line of its own"
        )
