"""Version-aware `satisfies` columns for `plaintrust import`: ids checked against the program's
catalogs, a column of an earlier version's ids refused, and old ids translated when asked.

A spreadsheet often maps its controls to a retired version (ISO/IEC 27001:2013, PCI DSS v3.2.1).
Such an id is unknown to the current catalog (`A.9.2.1`) or, worse, known with another meaning (PCI
DSS `8.1.1`): a mapping valid by accident. So each `satisfies` column of a framework that
controls/program.yaml names is judged whole:

- read as the current version (no `@VERSION`): when more of its ids exist only in an earlier
  version than only in the current one, the column is refused with the option that reads it as that
  version; else each unknown id refuses its row, with the same hint `check` gives;
- read as an earlier version (`--map COLUMN=satisfies.FRAMEWORK@VERSION`): each id goes through the
  shipped crosswalk. An id that became one current id alone (`same`), or together with others all
  in the same cell (`merged`), is written as the current id, and a comment above `satisfies:` keeps
  the old one for an auditor. Any other (`merged` with an old id missing from the cell, `split`, and
  every id of a version whose correspondence does not ship) is left for a person to confirm: listed
  in the comment and the report, never guessed.
"""

from __future__ import annotations

import shlex
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from plaintrust import crosswalks
from plaintrust.actions.spreadsheet import SATISFIES, Draft, Sheet, field_name
from plaintrust.crosswalks import Retired, Step, and_list
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.errors import Refused
from plaintrust.model import Program
from plaintrust.suggest import did_you_mean, requirement_hint

RULE_REQUIREMENT, RULE_VERSION = "import-requirement", "import-version"
TRANSLATED = ("same", "merged")  # the relations import writes on its own
_COMMENT_WIDTH = 98  # with the "# ", a comment line stays under 100 characters
_EXAMPLES = 3
_GLUE = "\x00"  # stands for a space no line may break at


@dataclass(frozen=True)
class Target:
    """One framework of controls/program.yaml, as import checks its ids: its catalog's id and name,
    and the catalog's requirement ids."""

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
    """An old id of a row that a person must map: import cannot tell what it became for this control."""

    row: int
    framework: str
    version: Retired
    step: Step


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
    return {f.id: Target(f.catalog.id, f.catalog.name, frozenset(f.catalog.by_id)) for f in program.frameworks}


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


def versions(asked: dict[str, Asked], frameworks: dict[str, Target]) -> dict[str, Retired]:
    """Framework id -> the retired version its column is read as. Raises Refused for a framework
    program.yaml does not name, and for a version that is not an earlier one of its catalog."""
    return {framework: _version(framework, wanted, frameworks) for framework, wanted in asked.items()}


def _version(framework: str, wanted: Asked, frameworks: dict[str, Target]) -> Retired:
    target = frameworks.get(framework)
    if target is None:
        declared = ", ".join(frameworks) or "none that load"
        raise Refused(
            f"--map {wanted.option!r}: controls/program.yaml names no framework {framework!r} "
            f"(frameworks: {declared}); a version is read into that framework's catalog"
        )
    fits = crosswalks.earlier(target.catalog)
    found = next((r for r in fits if r.id == wanted.version), None)
    if found is None:
        listed = ", ".join(r.id for r in fits) or "none (no earlier version of it ships)"
        raise Refused(
            f"--map {wanted.option!r}: {wanted.version!r} is not an earlier version of {target.name} "
            f"({framework}); versions that fit: {listed}"
        )
    return found


def refused_columns(
    sheet: Sheet,
    columns: dict[str, int],
    items: list[Draft],
    frameworks: dict[str, Target],
    read_as: dict[str, Retired],
) -> dict[str, Diagnostic]:
    """Framework id -> why its column is refused: read as the current version, its ids look like
    an earlier version's. A column holding such ids is refused whole (nothing is written): its ids
    that both versions have would pass, meaning something else."""
    found = {}
    for field, column in columns.items():
        framework = field[len(SATISFIES) :] if field.startswith(SATISFIES) else ""
        target = frameworks.get(framework)
        if target is None or framework in read_as:
            continue
        ids = [i for item in items for i in item.data.get("satisfies", {}).get(framework, ())]
        likely = crosswalks.likeness(target.catalog, target.known, ids)
        if likely is not None:
            where = Location(sheet.name, sheet.header_row, column)
            found[framework] = _looks_old(where, sheet.headers[column - 1], framework, likely)
    return found


def _looks_old(where: Location, header: str, framework: str, likely: crosswalks.Likeness) -> Diagnostic:
    version, only_old = likely.version, likely.only_old
    more = len(only_old) - _EXAMPLES
    examples = ", ".join(only_old[:_EXAMPLES]) + (f" and {more} more" if more > 0 else "")
    option = shlex.quote(f"{header}={SATISFIES}{framework}@{version.id}")
    return where.error(
        RULE_VERSION,
        f"column {header!r} holds {version.name} ids: {len(only_old)} of them exist only in that version "
        f"({examples}), and an id both versions have means something else in {version.successor_name}; "
        "nothing was written",
        f"read the column as {version.name} with --map {option}",
    )


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
        if target is None or framework in skip:
            parts.append(Mapped({framework: ids}))
        elif version is None:
            parts.append(_checked(item.row, framework, ids, target, at(framework)))
        else:
            parts.append(_translated(item.row, framework, ids, version, at(framework)))
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


def _translated(row: int, framework: str, ids: list[str], version: Retired, where: Location) -> Mapped:
    """The ids of `version` as current ids: each one that became a current id on its own, or with
    every other old id that became it in the same cell; the others left to a person."""
    listed = list(dict.fromkeys(ids))
    steps = [s for s in map(version.step, listed) if s is not None]
    done = tuple(s for s in steps if s.relation == "same" or (s.relation == "merged" and _whole(s, listed, version)))
    pending = tuple(Pending(row, framework, version, s) for s in steps if s not in done)
    problems = tuple(_stranger(row, framework, i, version, where) for i in listed if not version.has(i))
    new = list(dict.fromkeys(s.new[0] for s in done))
    comments = _comments(framework, version, done, tuple(p.step for p in pending))
    return Mapped({framework: new} if new else {}, comments, done, pending, problems)


def _whole(step: Step, listed: list[str], version: Retired) -> bool:
    return all(old in listed for old in version.sources(step.new[0]))


def _stranger(row: int, framework: str, old: str, version: Retired, where: Location) -> Diagnostic:
    return where.error(
        RULE_REQUIREMENT,
        f"row {row}: {old!r} is not an id of {version.name}, which --map reads the {framework} column as",
        did_you_mean(old, version.ids),
    )


def _comments(framework: str, version: Retired, done: tuple[Step, ...], pending: tuple[Step, ...]) -> tuple[str, ...]:
    """The YAML comments above `satisfies:`: where each written id came from, and what is left to confirm."""
    lines = []
    if done:
        lines.append(f"{framework} imported from {version.name}: {_became(done)}.")
    if pending:
        lines.append(f"{framework} to confirm, not mapped: {_unconfirmed(version, pending)}.")
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
        sources.setdefault(step.new[0], []).append(step.old)
    return "; ".join(
        f"{new} kept its number" if olds == [new] else f"{and_list(olds)} became {new}" for new, olds in sources.items()
    )


def _unconfirmed(version: Retired, pending: tuple[Step, ...]) -> str:
    named = [f"{s.old} ({_reason(version, s)})" for s in pending if s.relation != "unknown"]
    unknown = [s.old for s in pending if s.relation == "unknown"]
    if unknown:
        named.append(f"{version.name} {', '.join(unknown)} (no correspondence to {version.successor_name} ships)")
    return "; ".join(named)


def _reason(version: Retired, step: Step) -> str:
    if step.relation == "merged":
        return f"became part of {step.new[0]}, with {and_list(step.merged_with)}"
    if step.relation == "split":
        return f"now in {and_list(step.new)}"
    return f"no correspondence to {version.successor_name} ships"


def advice(pending: Pending) -> str:
    """What a person must decide about an old id, in words for the report."""
    step, version = pending.step, pending.version
    if step.relation == "merged":
        them = "that one" if len(step.merged_with) == 1 else "those"
        return f"{step.old} {_reason(version, step)}: map {step.new[0]} if this control covers {them} too"
    if step.relation == "split":
        return f"{step.old} is {_reason(version, step)}: map those this control covers"
    return f"{version.name} {step.old}: {_reason(version, step)}: find the requirement it became, and map that"
