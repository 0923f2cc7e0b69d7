"""The impact of a change, as data: sections of items, each item a before -> after.

Every renderer reads this and nothing else; `as_json` writes it as `impact.schema.json` describes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

# In the order every format shows them.
SECTIONS = ("controls", "requirements", "public", "evidence", "ledger", "policies", "anchors")
FAIL_ON = ("public-change", "status-drop", "leak")


@dataclass(frozen=True)
class Side:
    """One end of the comparison."""

    label: str  # as the user named it ("origin/main", "HEAD"), or "working tree"
    commit: str | None  # full hash; None: the working tree
    day: dt.date | None = None  # the commit's committer date (UTC); None: the working tree


@dataclass(frozen=True)
class Detail:
    """One field that differs: `before` None when it was absent, `after` None when it is gone."""

    field: str  # "status", "summary", "satisfies.soc2", "evidence", "sha256", ...
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Item:
    """One thing the change adds, removes or alters, in one section."""

    change: str  # added | removed | changed | re-pinned | touched | rewritten | moved
    key: str  # stable within its section: "AC-02", "soc2 CC6.1", "subprocessor Acme Mail"
    title: str  # what a reader sees first
    details: tuple[Detail, ...] = ()
    # public: practice | certification | subprocessor | notice | policy | document | page | profile | answer
    area: str | None = None
    drop: bool = False  # a status got worse (requirements, public practices, certifications and answers)
    path: str | None = None  # the file behind it at the head (or the base when removed), from the root
    line: int | None = None


@dataclass(frozen=True)
class Finding:
    """A problem `check` finds at the head and not at the base: leaks (internal values, evidence
    copies, markup in public text) and the head's new errors."""

    path: str
    line: int
    col: int
    rule: str
    message: str


@dataclass(frozen=True)
class Impact:
    base: Side
    head: Side
    today: dt.date  # both sides are judged on this day, so only the change moves a status
    sections: Mapping[str, tuple[Item, ...]] = field(default_factory=dict)  # every name of SECTIONS
    leaks: tuple[Finding, ...] = ()
    errors: tuple[Finding, ...] = ()  # errors `check` reports at the head and not at the base
    notes: tuple[str, ...] = ()  # what the reader should know: a side without program.yaml, a fetch
    # Why the change could not be judged whole: files the base could use and the head cannot (a lost
    # program or trust profile, a kind of file that no longer loads). A status drop or a public change
    # may hide there, so both --fail-on conditions count as met. Shown in every format.
    unjudged: tuple[str, ...] = ()

    def items(self, section: str) -> tuple[Item, ...]:
        return self.sections.get(section, ())

    @property
    def empty(self) -> bool:
        return not any(self.sections.values()) and not self.leaks and not self.errors and not self.unjudged

    def shows(self, name: str) -> bool:
        """Whether the report itself shows what the --fail-on choice `name` (of FAIL_ON) looks for,
        leaving aside anything unjudged."""
        if name == "public-change":
            return bool(self.items("public"))
        if name == "status-drop":
            return any(i.drop for s in ("requirements", "public") for i in self.items(s))
        return bool(self.leaks)

    def failing(self, choices: tuple[str, ...]) -> tuple[str, ...]:
        """Those of `choices` (names of FAIL_ON) that this impact meets, in FAIL_ON order. A change
        that could not be judged whole meets public-change and status-drop: it fails closed."""
        closed = bool(self.unjudged)
        return tuple(n for n in FAIL_ON if n in choices and (self.shows(n) or (closed and n != "leak")))
