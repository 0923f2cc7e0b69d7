"""Earlier versions of the shipped frameworks: their identifiers, and what each became.

Teams' spreadsheets still map controls to ISO/IEC 27001:2013 and PCI DSS v3.2.1. An id from one
of those is either unknown to the current catalog (`A.9.2.1`) or, worse, known with another meaning
(PCI DSS `8.1.1`). Each retired version ships its id list, and its correspondence to the current
version when a public one exists, so `import` can translate and `check` can say what an old id is.

How an old id relates to the current version (`Step.relation`):

- `same`: it became one current id, which no other old id became (renumbered or not);
- `merged`: it became one current id together with other old ids (`Step.merged_with`);
- `split`: its subject is now in several current ids, so each of them took only part of it;
- `unknown`: no correspondence ships for this version (PCI DSS v3.2.1): a person decides.

A current id no old id became is `new` (see `Retired.new_ids`). A `merged` id's partner that is
itself `split` (`A.12.6.1` became `A.8.8` with `A.18.2.3`, which is also in `A.5.36`) gave the
current id only part of its subject: the merged id is its main source, and `Retired.needed` leaves
such a partner out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from plaintrust.model import Catalog

NAMES = ("iso27001-2013", "pci-dss-3.2.1")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML built without libyaml has no C loader


@dataclass(frozen=True)
class Step:
    """Where one old id went."""

    old: str
    new: tuple[str, ...]  # empty when no correspondence ships
    relation: str  # same | merged | split | unknown
    merged_with: tuple[str, ...] = ()  # the other old ids that became the same current id


@dataclass(frozen=True)
class Retired:
    id: str  # iso27001-2013
    name: str  # ISO/IEC 27001:2013
    successor: str  # the current catalog's id
    successor_name: str
    ids: tuple[str, ...] = field(repr=False)  # every id of this version, in its order
    # old id -> current ids; None: no correspondence ships
    became: dict[str, tuple[str, ...]] | None = field(repr=False)
    _sources: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for old, new in (self.became or {}).items():
            for current in new:
                self._sources[current] = (*self._sources.get(current, ()), old)

    def has(self, old: str) -> bool:
        return old in self._order

    def spelled(self, old: str) -> str | None:
        """`old` as this version writes it, matched in any case (`a.9.2.1` -> `A.9.2.1`)."""
        return old if self.has(old) else _lower(self.id).get(old.lower())

    def is_split(self, old: str) -> bool:
        return self.became is not None and len(self.became.get(old, ())) > 1

    def needed(self, step: Step) -> tuple[str, ...]:
        """The other old ids a `merged` id must be listed with for its current id to be written:
        a partner that is `split` went only partly into that id, so it is not needed."""
        return tuple(old for old in step.merged_with if not self.is_split(old))

    def may_differ(self, old: str, current_ids: Collection[str]) -> bool:
        """Whether `old`, an id the current version has too, may mean something else there: it did
        not become itself, or no correspondence ships to say."""
        shared = self.has(old) and old in current_ids
        return shared and (self.became is None or self.became[old] != (old,))

    def step(self, old: str) -> Step | None:
        """Where `old` went; None when it is not an id of this version."""
        if not self.has(old):
            return None
        if self.became is None:
            return Step(old, (), "unknown")
        new = self.became[old]
        if len(new) > 1:
            return Step(old, new, "split")
        others = tuple(s for s in self._sources[new[0]] if s != old)
        return Step(old, new, "merged", others) if others else Step(old, new, "same")

    def sources(self, current: str) -> tuple[str, ...]:
        """The old ids that became `current`."""
        return self._sources.get(current, ())

    def new_ids(self, current_ids: Iterable[str]) -> tuple[str, ...]:
        """The current ids no old id became (empty when no correspondence ships)."""
        return () if self.became is None else tuple(i for i in current_ids if i not in self._sources)

    @property
    def _order(self) -> dict[str, int]:
        return _order(self.id)


@dataclass(frozen=True)
class Likeness:
    """Why a list of ids looks like an earlier version's: the ids only that version has, beside
    the ids only the current one has, and the ids both have that may mean something else in the
    current one (see `Retired.may_differ`)."""

    version: Retired
    only_old: tuple[str, ...]
    only_current: tuple[str, ...]
    doubtful: tuple[str, ...] = ()

    @property
    def decided(self) -> bool:
        """More of the ids exist only in the earlier version than only in the current one."""
        return len(self.only_old) > len(self.only_current)


@cache
def retired(name: str) -> Retired:
    """A retired version by its id (one of NAMES); KeyError when it is not one."""
    if name not in NAMES:
        raise KeyError(name)
    data = yaml.load(resources.files(__package__).joinpath(f"{name}.yaml").read_bytes(), Loader=_LOADER)
    became = data.get("became")
    mapped = {str(k): tuple(str(i) for i in v) for k, v in became.items()} if became is not None else None
    return Retired(
        id=data["id"],
        name=data["name"],
        successor=data["successor"],
        successor_name=data["successor_name"],
        ids=tuple(mapped) if mapped is not None else tuple(str(i) for i in data["ids"]),
        became=mapped,
    )


def earlier(catalog: str) -> tuple[Retired, ...]:
    """The retired versions the catalog `catalog` (a shipped one's id) replaced."""
    return tuple(r for r in map(retired, NAMES) if r.successor == catalog)


def shipped_id(catalog: Catalog) -> str:
    """The id of a catalog Plaintrust ships, whose earlier versions it knows; empty for a custom
    catalog, whose id may copy a shipped one's but whose earlier versions Plaintrust does not know."""
    return catalog.id if catalog.source is None else ""


def likeness(catalog: str, current_ids: Collection[str], ids: Iterable[str]) -> Likeness | None:
    """The earlier version `ids` (one framework's column) look like, if any: more of them exist only
    in that version than only in the current one. An id both versions have counts for neither:
    the number alone cannot tell which version meant it."""
    found = traces(catalog, current_ids, ids)
    return found if found is not None and found.decided else None


def traces(catalog: str, current_ids: Collection[str], ids: Iterable[str]) -> Likeness | None:
    """The first earlier version of which `ids` hold any id only it has, however few."""
    listed = list(dict.fromkeys(ids))
    for version in earlier(catalog):
        only_old = tuple(i for i in listed if version.has(i) and i not in current_ids)
        if only_old:
            only_current = tuple(i for i in listed if i in current_ids and not version.has(i))
            doubtful = tuple(i for i in listed if version.may_differ(i, current_ids))
            return Likeness(version, only_old, only_current, doubtful)
    return None


def explain(version: Retired, step: Step, *, exempt: bool = False) -> str:
    """What an old id became, in words for a hint or a report; `exempt`: the id is declared not
    applicable, so the advice is about declaring, not mapping."""
    is_old = f"{step.old!r} is an id of {version.name}"
    if step.relation == "unknown":
        then = "declare that one not applicable" if exempt else "map that"
        return (
            f"{is_old}; no correspondence to {version.successor_name} ships with Plaintrust: "
            f"find the {version.successor_name} requirement it became, and {then}"
        )
    if step.relation == "split":
        then = "declare not applicable only those that do not apply" if exempt else "map the ones that apply"
        return f"{is_old}: its subject is now in {and_list(step.new)} of {version.successor_name}: {then}"
    if step.relation == "merged":
        became = (
            f"{is_old}: it became part of {step.new[0]} of {version.successor_name}, with {partners(version, step)}"
        )
        return became + (_exempt_merged(version, step) if exempt else "")
    same = f"{is_old}: it is {step.new[0]} in {version.successor_name}"
    return same + (f": declare {step.new[0]} not applicable instead" if exempt else "")


def _exempt_merged(version: Retired, step: Step) -> str:
    verb = "does" if len(step.merged_with) == 1 else "do"
    return f": declare {step.new[0]} not applicable only if {partners(version, step)} {verb} not apply either"


def partners(version: Retired, step: Step) -> str:
    """The other old ids a merged id became its current id with; a split one gave only part of itself."""
    return and_list([f"part of {old}" if version.is_split(old) else old for old in step.merged_with])


def and_list(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@cache
def _order(name: str) -> dict[str, int]:
    return {old: index for index, old in enumerate(retired(name).ids)}


@cache
def _lower(name: str) -> dict[str, str]:
    return {old.lower(): old for old in retired(name).ids}
