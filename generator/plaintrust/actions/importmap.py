"""Version-aware `satisfies` columns for `plaintrust import`: ids checked against the program's
catalogs, a column of an earlier version's ids refused, and old ids translated when asked.

A spreadsheet often maps its controls to a retired version (ISO/IEC 27001:2013, PCI DSS v3.2.1).
Such an id is unknown to the current catalog (`A.9.2.1`) or, worse, known with another meaning (PCI
DSS `8.1.1`): a mapping valid by accident. So each `satisfies` column of a framework that
controls/program.yaml names is judged whole:

- read as the current version (no `@VERSION`): when more of its ids exist only in an earlier
  version than only in the current one, the column is refused with the option that reads it as that
  version; when it holds fewer, its ids both versions have that may mean something else are named in
  a warning; each unknown id refuses its row, with the same hint `check` gives;
- read as an earlier version (`--map COLUMN=satisfies.FRAMEWORK@VERSION`): each id goes through the
  shipped crosswalk. An id that became one current id alone (`same`), or together with others all
  in the same cell (`merged`; a partner that was `split` went only partly into that id and is not
  needed), is written as the current id, and a comment above `satisfies:` keeps the old one for an
  auditor; so is a `split` id whose every current id is written for the row. Any other (`merged`
  with an old id missing from the cell, `split`, and every id of a version whose correspondence does
  not ship) is left for a person to confirm: listed in the comment and the report, never guessed.
  The current ids written are checked against the catalog too.
"""

from __future__ import annotations

import shlex
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from plaintrust import crosswalks
from plaintrust.actions.spreadsheet import SATISFIES, Draft, Sheet, field_name
from plaintrust.crosswalks import Likeness, Retired, Step, and_list, partners
from plaintrust.diagnostics import Diagnostic, Location, Severity
from plaintrust.errors import Refused
from plaintrust.model import Program
from plaintrust.suggest import did_you_mean, requirement_hint

RULE_REQUIREMENT, RULE_VERSION = "import-requirement", "import-version"
TRANSLATED = ("same", "merged", "split")  # the relations import writes on its own (split: every part written)
_COMMENT_WIDTH = 98  # with the "# ", a comment line stays under 100 characters
_EXAMPLES = 3
_GLUE = "\x00"  # stands for a space no line may break at


@dataclass(frozen=True)
class Target:
    """One framework of controls/program.yaml, as import checks its ids: its catalog's id (empty for
    a custom catalog, see `crosswalks.shipped_id`) and name, and the catalog's requirement ids."""

    catalog: str
    name: str
    known: frozenset[str]


@dataclass(frozen=True)
class Asked:
    """The earlier version `--map` reads a framework's column as; `option` is the value as typed."""

    version: str
    option: str


@dataclass(frozen=True)
class Pending:
    """An old id of a row that a person must map: import cannot tell what it became for this control.
    `written`: the current ids it became that are written for the row all the same (from other ids)."""

    row: int
    framework: str
    version: Retired
    step: Step
    written: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mapped:
    """One row's `satisfies` as judged: what is written, the comments saying where it came from, the
    old ids translated and those left to a person, and why the row is refused."""

    satisfies: dict[str, list[str]]
    comments: tuple[str, ...] = ()
    translated: tuple[Step, ...] = ()
    pending: tuple[Pending, ...] = ()
    problems: tuple[Diagnostic, ...] = ()


def targets(program: Program | None) -> dict[str, Target]:
    """Framework id -> what its column is checked against; empty when program.yaml does not load."""
    if program is None:
        return {}
    return {
        f.id: Target(crosswalks.shipped_id(f.catalog), f.catalog.name, frozenset(f.catalog.by_id))
        for f in program.frameworks
    }


def split_versions(pairs: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, Asked]]:
    """`--map` values with each `@VERSION` taken off, and the versions asked for by framework id.
    Only a `satisfies.FRAMEWORK` field takes one: a header never carries a version."""
    plain: list[str] = []
    asked: dict[str, Asked] = {}
    for pair in pairs:
        column, sep, name = pair.rpartition("=")
        field, at, version = name.partition("@")
        if sep and at:
            named = field_name(field)
            if named is None or not named.startswith(SATISFIES):
                raise Refused(f"--map {pair!r}: only a satisfies.FRAMEWORK field takes @VERSION")
            asked[named[len(SATISFIES) :]] = Asked(version.strip(), pair)
            pair = f"{column}={field}"
        plain.append(pair)
    return tuple(plain), asked


def versions(asked: dict[str, Asked], catalogs: dict[str, str]) -> dict[str, Retired]:
    """Framework id -> the retired version its column is read as. `catalogs`: framework id -> its
    catalog as controls/program.yaml names it, read before anything else runs, so that a usage
    mistake writes nothing (a custom catalog is named by its path, never by a shipped id, so it has
    no earlier version). Raises Refused for a framework program.yaml does not name, and for a
    version that is not an earlier one of its catalog."""
    return {framework: _version(framework, wanted, catalogs) for framework, wanted in asked.items()}


def _version(framework: str, wanted: Asked, catalogs: dict[str, str]) -> Retired:
    catalog = catalogs.get(framework)
    if catalog is None:
        raise Refused(
            f"--map {wanted.option!r}: controls/program.yaml names no framework {framework!r} "
            f"(frameworks: {', '.join(catalogs) or 'none'}); a version is read into that framework's catalog"
        )
    fits = crosswalks.earlier(catalog)
    found = next((r for r in fits if r.id == wanted.version), None)
    if found is None:
        listed = ", ".join(r.id for r in fits) or "none (no earlier version of it ships)"
        raise Refused(
            f"--map {wanted.option!r}: {wanted.version!r} is not an earlier version of the catalog "
            f"{catalog} ({framework}); versions that fit: {listed}"
        )
    return found


def column_findings(
    sheet: Sheet,
    columns: dict[str, int],
    items: list[Draft],
    frameworks: dict[str, Target],
    read_as: dict[str, Retired],
) -> dict[str, Diagnostic]:
    """Framework id -> what its column, read as the current version, holds of an earlier version's
    ids. An error when they look like that version's (see `crosswalks.likeness`): the column is
    refused whole and nothing is written, since its ids that both versions have would pass, maybe
    meaning something else. A warning when it holds fewer of them, beside ids both versions have
    that may mean something else: those pass, and a person should look at them."""
    found = {}
    for field, column in columns.items():
        framework = field[len(SATISFIES) :] if field.startswith(SATISFIES) else ""
        target = frameworks.get(framework)
        if target is None or framework in read_as:
            continue
        ids = [i for item in items for i in item.data.get("satisfies", {}).get(framework, ())]
        traced = crosswalks.traces(target.catalog, target.known, ids)
        where = Location(sheet.name, sheet.header_row, column)
        if traced is not None and (traced.decided or traced.doubtful):
            found[framework] = _old_ids(where, sheet.headers[column - 1], framework, traced)
    return found


def refused(found: dict[str, Diagnostic]) -> dict[str, Diagnostic]:
    """The columns of `column_findings` that are refused."""
    return {framework: d for framework, d in found.items() if d.severity is Severity.ERROR}


def _old_ids(where: Location, header: str, framework: str, traced: Likeness) -> Diagnostic:
    version, only_old = traced.version, traced.only_old
    option = shlex.quote(f"{header}={SATISFIES}{framework}@{version.id}")
    if traced.decided:
        return where.error(
            RULE_VERSION,
            f"column {header!r} holds {version.name} ids: {len(only_old)} of them exist only in that version "
            f"({_examples(only_old)}){_doubt(traced)}; nothing was written",
            f"read the column as {version.name} with --map {option}",
        )
    return where.warning(
        RULE_VERSION,
        f"column {header!r} holds {len(only_old)} {version.name} id{'s' if len(only_old) > 1 else ''} "
        f"({_examples(only_old)}) beside ids only {version.successor_name} has{_doubt(traced)}",
        f"check those against {version.successor_name}; if the column was written for {version.name}, "
        f"read it as that version with --map {option}",
    )


def _doubt(traced: Likeness) -> str:
    """What the column's ids both versions have may mean: the shipped correspondence says which
    changed meaning (ISO/IEC 27001 10.1 and 10.2), and without one, any of them may have."""
    doubtful, version = traced.doubtful, traced.version
    if not doubtful:
        return ""
    verb = "may mean" if version.became is None else "means" if len(doubtful) == 1 else "mean"
    return f", and {_examples(doubtful)}, which both versions have, {verb} something else in {version.successor_name}"


def _examples(ids: tuple[str, ...]) -> str:
    more = len(ids) - _EXAMPLES
    return and_list(ids) if more <= 0 else ", ".join(ids[:_EXAMPLES]) + f" and {more} more"


def judge(
    item: Draft,
    at: Callable[[str], Location],
    frameworks: dict[str, Target],
    read_as: dict[str, Retired],
    skip: frozenset[str] = frozenset(),
) -> Mapped:
    """The row's `satisfies`: each framework's ids checked (or, read as an earlier version,
    translated); `at(framework)` is where its cell is; the frameworks in `skip` are left as written."""
    parts = []
    for framework, ids in item.data.get("satisfies", {}).items():
        target, version = frameworks.get(framework), read_as.get(framework)
        if version is not None:
            parts.append(_translated(item.row, framework, ids, version, target, at(framework)))
        elif target is None or framework in skip:
            parts.append(Mapped({framework: ids}))
        else:
            parts.append(_checked(item.row, framework, ids, target, at(framework)))
    return _joined(parts)


def _joined(parts: list[Mapped]) -> Mapped:
    return Mapped(
        {framework: ids for part in parts for framework, ids in part.satisfies.items()},
        tuple(line for part in parts for line in part.comments),
        tuple(step for part in parts for step in part.translated),
        tuple(pending for part in parts for pending in part.pending),
        tuple(problem for part in parts for problem in part.problems),
    )


def _checked(row: int, framework: str, ids: list[str], target: Target, where: Location) -> Mapped:
    problems = tuple(
        where.error(
            RULE_REQUIREMENT,
            f"row {row}: {i!r} is not a requirement of {target.name} ({framework})",
            requirement_hint(target.catalog, target.known, i),
        )
        for i in ids
        if i not in target.known
    )
    return Mapped({framework: ids}, problems=problems)


def _translated(
    row: int, framework: str, ids: list[str], version: Retired, target: Target | None, where: Location
) -> Mapped:
    """The ids of `version` as current ids: each one that became a current id on its own, or with
    every other old id it needs in the same cell, and a split one whose every current id is written
    so; the others left to a person. `target`: the catalog the current ids must be in, if it loads."""
    listed = list(dict.fromkeys(ids))
    steps = [s for s in map(version.step, listed) if s is not None]
    done = [s for s in steps if s.relation == "same" or (s.relation == "merged" and _whole(s, listed, version))]
    new = list(dict.fromkeys(s.new[0] for s in done))
    done += [s for s in steps if s.relation == "split" and set(s.new) <= set(new)]
    pending = tuple(Pending(row, framework, version, s, _written(s, new)) for s in steps if s not in done)
    problems = [_stranger(row, framework, i, version, target, where) for i in listed if not version.has(i)]
    problems += _outside(row, framework, done, target, where)
    comments = _comments(framework, version, tuple(done), pending)
    return Mapped({framework: new} if new else {}, comments, tuple(done), pending, tuple(problems))


def _whole(step: Step, listed: list[str], version: Retired) -> bool:
    return all(old in listed for old in version.needed(step))


def _written(step: Step, new: list[str]) -> tuple[str, ...]:
    return tuple(i for i in step.new if i in new) if step.relation == "split" else ()


def _stranger(
    row: int, framework: str, old: str, version: Retired, target: Target | None, where: Location
) -> Diagnostic:
    message = f"row {row}: {old!r} is not an id of {version.name}, which --map reads the {framework} column as"
    if target is not None and old in target.known:
        hint = (
            f"it is already an id of {version.successor_name}: it belongs in a column read as the current "
            f"version (--map without @{version.id})"
        )
        return where.error(RULE_REQUIREMENT, message, hint)
    return where.error(RULE_REQUIREMENT, message, did_you_mean(old, version.ids))


def _outside(row: int, framework: str, done: list[Step], target: Target | None, where: Location) -> list[Diagnostic]:
    """A translated id the catalog lacks is refused like any other: the crosswalk is no authority
    over the catalog the program names."""
    if target is None:
        return []
    return [
        where.error(
            RULE_REQUIREMENT,
            f"row {row}: {step.old!r} became {new!r}, which is not a requirement of {target.name} ({framework})",
        )
        for step in done
        for new in step.new
        if new not in target.known
    ]


def _comments(
    framework: str, version: Retired, done: tuple[Step, ...], pending: tuple[Pending, ...]
) -> tuple[str, ...]:
    """The YAML comments above `satisfies:`: where each written id came from, and what is left to confirm."""
    lines = []
    if done:
        lines.append(f"{framework} imported from {version.name}: {_became(done)}.")
    if pending:
        lines.append(f"{framework} to confirm, not mapped: {_unconfirmed(pending)}.")
    names = (version.name, version.successor_name)
    return tuple(wrapped for line in lines for wrapped in _wrapped(line, names))


def _wrapped(line: str, names: tuple[str, ...]) -> list[str]:
    """`line` as comment lines; ids hold '-' and never a space, so lines break between words only,
    and never inside a version's name ("PCI DSS v4.0.1")."""
    for name in names:
        line = line.replace(name, name.replace(" ", _GLUE))
    wrapped = textwrap.wrap(
        line,
        _COMMENT_WIDTH,
        initial_indent="# ",
        subsequent_indent="#   ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [part.replace(_GLUE, " ") for part in wrapped]


def _became(done: tuple[Step, ...]) -> str:
    sources: dict[str, list[str]] = {}
    for step in done:
        for new in step.new:
            sources.setdefault(new, []).append(step.old)
    return "; ".join(
        f"{new} kept its number" if olds == [new] else f"{and_list(olds)} became {new}" for new, olds in sources.items()
    )


def _unconfirmed(pending: tuple[Pending, ...]) -> str:
    named = [f"{p.step.old} ({_reason(p)})" for p in pending if p.step.relation != "unknown"]
    unknown = [p for p in pending if p.step.relation == "unknown"]
    if unknown:
        version = unknown[0].version
        olds = ", ".join(p.step.old for p in unknown)
        named.append(f"{version.name} {olds} (no correspondence to {version.successor_name} ships)")
    return "; ".join(named)


def _reason(pending: Pending) -> str:
    step, version = pending.step, pending.version
    if step.relation == "merged":
        return f"became part of {step.new[0]}, with {partners(version, step)}"
    if step.relation == "split":
        return f"now in {and_list(_unwritten(pending))} too" if pending.written else f"now in {and_list(step.new)}"
    return f"no correspondence to {version.successor_name} ships"


def _unwritten(pending: Pending) -> tuple[str, ...]:
    return tuple(i for i in pending.step.new if i not in pending.written)


def advice(pending: Pending) -> str:
    """What a person must decide about an old id, in words for the report; for a split id, only
    the current ids not written for the row already."""
    step, version = pending.step, pending.version
    if step.relation == "merged":
        them = "that one" if len(step.merged_with) == 1 else "those"
        return f"{step.old} {_reason(pending)}: map {step.new[0]} if this control covers {them} too"
    if step.relation == "split":
        left = _unwritten(pending)
        which = f"{left[0]} if this control covers it" if len(left) == 1 else "those this control covers"
        return f"{step.old} is {_reason(pending)}: map {which}"
    return f"{version.name} {step.old}: {_reason(pending)}: find the requirement it became, and map that"
