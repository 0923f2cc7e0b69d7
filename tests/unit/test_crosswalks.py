"""The retired framework versions match the reference lists in tests/data/reference: every
ISO/IEC 27001:2013 control and every PCI DSS v3.2.1 requirement is there, each ISO control goes
where ISO/IEC 27002:2022 Annex B says, and no PCI DSS correspondence is guessed."""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from plaintrust import crosswalks
from plaintrust.catalogs import shipped_bytes
from plaintrust.core import Document
from plaintrust.model import Catalog
from plaintrust.suggest import requirement_hint

REFERENCE = Path(__file__).parents[1] / "data/reference"
ISO = crosswalks.retired("iso27001-2013")
PCI = crosswalks.retired("pci-dss-3.2.1")
# The 2022 controls no 2013 control became (ISO/IEC 27002:2022, Annex B).
NEW_2022 = ("A.5.7", "A.5.23", "A.5.30", "A.7.4", "A.8.9", "A.8.10", "A.8.11", "A.8.12", "A.8.16", "A.8.23", "A.8.28")


@cache
def reference(name: str) -> tuple[dict[str, str], ...]:
    with open(REFERENCE / f"{name}.csv", newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


@cache
def current_ids(catalog: str) -> tuple[str, ...]:
    return tuple(str(r["id"]) for r in yaml.safe_load(shipped_bytes(catalog))["requirements"])


def annex_a(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(i for i in ids if i.startswith("A."))


def clauses(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(i for i in ids if not i.startswith("A."))


# --- what there is --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", crosswalks.NAMES)
def test_each_retired_version_names_its_own_file_and_a_shipped_successor(name: str) -> None:
    version = crosswalks.retired(name)
    assert version.id == name
    assert crosswalks.earlier(version.successor) == (version,)
    assert all(isinstance(i, str) for i in version.ids), "an unquoted id was read as a number"
    assert len(version.ids) == len(set(version.ids))


@pytest.mark.parametrize("catalog", ["soc2-2017", "frameworks/custom.yaml", ""])
def test_a_catalog_without_a_retired_version_has_no_earlier_one(catalog: str) -> None:
    assert crosswalks.earlier(catalog) == ()


def test_an_unknown_retired_version_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        crosswalks.retired("iso27001-2005")


# --- ISO/IEC 27001:2013 -> 2022 -------------------------------------------------------------------


def test_every_2013_annex_a_control_is_in_the_crosswalk_in_order_and_nothing_else() -> None:
    assert annex_a(ISO.ids) == tuple(row["id"] for row in reference("iso27001-2013"))
    assert len(annex_a(ISO.ids)) == 114


def test_the_annex_a_pairs_equal_the_published_correspondence() -> None:
    pairs = [(old, new) for old in annex_a(ISO.ids) for new in ISO.became[old]] if ISO.became else []
    assert pairs == [(row["old_id"], row["new_id"]) for row in reference("iso27001-2013-to-2022")]


def test_every_2013_id_becomes_ids_of_the_shipped_2022_catalog() -> None:
    known = set(current_ids("iso27001-2022"))
    assert ISO.became is not None
    assert {old: new for old, new in ISO.became.items() if not new or set(new) - known} == {}


def test_the_2022_controls_no_2013_control_became_are_exactly_the_11_new_ones() -> None:
    assert annex_a(ISO.new_ids(current_ids("iso27001-2022"))) == NEW_2022


# Counted from the Annex B table: 58 controls kept one 2022 control to themselves, 55 share one of
# 24 with others, and A.18.2.3 went to two. 58 + 24 + 11 new = 93.
@pytest.mark.parametrize(("relation", "count"), [("same", 58), ("merged", 55), ("split", 1)])
def test_relation_counts_of_the_annex_a_controls(relation: str, count: int) -> None:
    relations = Counter(step.relation for step in map(ISO.step, annex_a(ISO.ids)) if step)
    assert relations[relation] == count
    assert sum(relations.values()) == 114


@pytest.mark.parametrize(("sources", "count"), [(0, 11), (1, 58), (2, 17), (3, 5), (4, 2)])
def test_how_many_2013_controls_each_2022_control_came_from(sources: int, count: int) -> None:
    spread = Counter(len(ISO.sources(new)) for new in annex_a(current_ids("iso27001-2022")))
    assert spread[sources] == count


@pytest.mark.parametrize(
    ("old", "new", "relation", "merged_with"),
    [
        ("A.9.2.1", ("A.5.16",), "same", ()),
        ("A.6.2.1", ("A.8.1",), "merged", ("A.11.2.8",)),
        ("A.5.1.1", ("A.5.1",), "merged", ("A.5.1.2",)),
        ("A.12.4.1", ("A.8.15",), "merged", ("A.12.4.2", "A.12.4.3")),
        ("A.18.2.3", ("A.5.36", "A.8.8"), "split", ()),
        ("A.12.6.1", ("A.8.8",), "merged", ("A.18.2.3",)),
        ("10.1", ("10.2",), "same", ()),
    ],
)
def test_steps(old: str, new: tuple[str, ...], relation: str, merged_with: tuple[str, ...]) -> None:
    assert ISO.step(old) == crosswalks.Step(old, new, relation, merged_with)


@pytest.mark.parametrize("old", ["A.5.16", "A.9.2", "a.9.2.1", "9.2.1", "6.3"])
def test_an_id_the_2013_version_lacks_has_no_step(old: str) -> None:
    assert not ISO.has(old)
    assert ISO.step(old) is None


@pytest.mark.parametrize("clause", clauses(ISO.ids))
def test_clauses_keep_their_number_except_10_1_and_10_2_which_swapped(clause: str) -> None:
    swapped = {"10.1": "10.2", "10.2": "10.1"}
    assert ISO.became is not None
    assert ISO.became[clause] == (swapped.get(clause, clause),)
    assert ISO.became[clause][0] in current_ids("iso27001-2022")


def test_the_2013_clauses_are_those_of_the_2022_catalog_less_its_new_subclauses() -> None:
    new = ("6.3", "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3")
    assert clauses(ISO.new_ids(current_ids("iso27001-2022"))) == new
    assert set(clauses(ISO.ids)) == set(clauses(current_ids("iso27001-2022"))) - set(new)


# A 2013 control merged with a split one is the main source of its 2022 control: the split one
# went only partly into it, so the merged one alone may be written as the 2022 control.
def test_only_the_merged_ids_whose_every_partner_was_split_need_no_partner() -> None:
    steps = [s for s in map(ISO.step, annex_a(ISO.ids)) if s and s.relation == "merged"]
    alone = {s.old: (s.new, s.merged_with) for s in steps if ISO.needed(s) == ()}
    assert alone == {"A.12.6.1": (("A.8.8",), ("A.18.2.3",)), "A.18.2.2": (("A.5.36",), ("A.18.2.3",))}
    assert all(ISO.needed(s) == s.merged_with for s in steps if s.old not in alone)


@pytest.mark.parametrize(("typed", "spelled"), [("a.9.2.1", "A.9.2.1"), ("A.9.2.1", "A.9.2.1"), ("a.5.16", None)])
def test_an_old_id_is_found_in_any_case(typed: str, spelled: str | None) -> None:
    assert ISO.spelled(typed) == spelled


def test_of_the_ids_both_iso_versions_have_only_10_1_and_10_2_changed_meaning() -> None:
    current = current_ids("iso27001-2022")
    assert [i for i in ISO.ids if ISO.may_differ(i, current)] == ["10.1", "10.2"]


def test_any_id_both_pci_versions_have_may_have_changed_meaning() -> None:
    current = current_ids("pci-dss-4.0.1")
    shared = [i for i in PCI.ids if i in current]
    assert len(shared) > 100
    assert [i for i in PCI.ids if PCI.may_differ(i, current)] == shared


# --- PCI DSS v3.2.1 -------------------------------------------------------------------------------


def test_the_pci_3_2_1_ids_equal_the_reference_list_in_order() -> None:
    assert PCI.ids == tuple(row["id"] for row in reference("pci-dss-3.2.1"))
    assert len(PCI.ids) == 298


@pytest.mark.parametrize(("level", "count"), [(1, 15), (2, 91), (3, 182), (4, 10)])
def test_pci_3_2_1_ids_by_level(level: int, count: int) -> None:
    assert sum(len(i.split(".")) == level for i in PCI.ids) == count


def test_no_pci_correspondence_is_guessed() -> None:
    assert PCI.became is None
    assert {PCI.step(old) for old in PCI.ids} == {crosswalks.Step(old, (), "unknown") for old in PCI.ids}
    assert PCI.new_ids(current_ids("pci-dss-4.0.1")) == ()
    assert all(PCI.sources(new) == () for new in current_ids("pci-dss-4.0.1"))


# --- which version a column looks like ------------------------------------------------------------


@pytest.mark.parametrize(
    ("catalog", "column", "version", "only_old", "only_current"),
    [
        ("pci-dss-4.0.1", ["1.1.5", "10.8.1", "8.1.1", "12.11.1"], "pci-dss-3.2.1", ["1.1.5", "10.8.1", "12.11.1"], []),
        ("pci-dss-4.0.1", ["1.1.5", "1.1.6", "8.4.1", "1.1.5"], "pci-dss-3.2.1", ["1.1.5", "1.1.6"], ["8.4.1"]),
        (
            "iso27001-2022",
            ["A.9.2.1", "A.12.4.1", "A.5.16", "6.1.2"],
            "iso27001-2013",
            ["A.9.2.1", "A.12.4.1"],
            ["A.5.16"],
        ),
        ("iso27001-2022", ["A.5.1.1", "A.18.2.3", "4.1", "10.1"], "iso27001-2013", ["A.5.1.1", "A.18.2.3"], []),
    ],
)
def test_a_column_of_old_ids_looks_like_the_earlier_version(
    catalog: str, column: list[str], version: str, only_old: list[str], only_current: list[str]
) -> None:
    found = crosswalks.likeness(catalog, current_ids(catalog), column)
    assert found is not None
    assert found == crosswalks.Likeness(
        crosswalks.retired(version), tuple(only_old), tuple(only_current), found.doubtful
    )


@pytest.mark.parametrize(
    ("catalog", "column"),
    [
        ("pci-dss-4.0.1", ["1.2.8", "3.3.1.1", "8.4.1", "12.5.2.1", "8.1.1", "12.3.1"]),  # v4.0.1
        ("pci-dss-4.0.1", ["8.1.1", "12.3.1", "A3.3.1.1"]),  # in both versions: cannot tell
        ("pci-dss-4.0.1", ["1.1.5", "8.4.1"]),  # as many of each: no majority for the old one
        ("iso27001-2022", ["A.5.16", "A.8.15", "A.5.1"]),
        ("iso27001-2022", ["6.1.2", "10.1", "10.2"]),
        ("soc2-2017", ["CC6.1", "A.9.2.1", "1.1.5"]),  # no earlier version ships
    ],
)
def test_a_current_or_undecidable_column_looks_like_no_earlier_version(catalog: str, column: list[str]) -> None:
    assert crosswalks.likeness(catalog, current_ids(catalog), column) is None


@pytest.mark.parametrize(
    ("catalog", "column", "only_old", "only_current", "doubtful"),
    [
        ("pci-dss-4.0.1", ["1.1.5", "8.4.1", "8.1.1", "12.3.1"], ["1.1.5"], ["8.4.1"], ["8.1.1", "12.3.1"]),
        ("pci-dss-4.0.1", ["1.1.5", "1.1.6", "8.1.1"], ["1.1.5", "1.1.6"], [], ["8.1.1"]),
        ("iso27001-2022", ["A.9.2.1", "A.5.16", "4.1", "10.1"], ["A.9.2.1"], ["A.5.16"], ["10.1"]),
        ("iso27001-2022", ["A.9.2.1", "A.5.16", "6.1.2"], ["A.9.2.1"], ["A.5.16"], []),
    ],
)
def test_traces_of_an_earlier_version_name_the_shared_ids_that_may_mean_something_else(
    catalog: str, column: list[str], only_old: list[str], only_current: list[str], doubtful: list[str]
) -> None:
    found = crosswalks.traces(catalog, current_ids(catalog), column)
    assert found is not None
    assert (found.only_old, found.only_current, found.doubtful) == (
        tuple(only_old),
        tuple(only_current),
        tuple(doubtful),
    )
    assert found.decided is (len(only_old) > len(only_current))


@pytest.mark.parametrize("catalog", ["pci-dss-4.0.1", "iso27001-2022"])
def test_a_column_of_current_ids_has_no_traces(catalog: str) -> None:
    assert crosswalks.traces(catalog, current_ids(catalog), ["8.1.1", "10.1", "A.5.16"]) is None


# --- the words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "old", "expected"),
    [
        (ISO, "A.9.2.1", "'A.9.2.1' is an id of ISO/IEC 27001:2013: it is A.5.16 in ISO/IEC 27001:2022"),
        (ISO, "10.2", "'10.2' is an id of ISO/IEC 27001:2013: it is 10.1 in ISO/IEC 27001:2022"),
        (
            ISO,
            "A.12.4.1",
            "'A.12.4.1' is an id of ISO/IEC 27001:2013: it became part of A.8.15 of ISO/IEC 27001:2022, "
            "with A.12.4.2 and A.12.4.3",
        ),
        (
            ISO,
            "A.5.1.2",
            "'A.5.1.2' is an id of ISO/IEC 27001:2013: it became part of A.5.1 of ISO/IEC 27001:2022, with A.5.1.1",
        ),
        (
            ISO,
            "A.18.2.3",
            "'A.18.2.3' is an id of ISO/IEC 27001:2013: its subject is now in A.5.36 and A.8.8 of "
            "ISO/IEC 27001:2022: map the ones that apply",
        ),
        (
            ISO,
            "A.12.6.1",
            "'A.12.6.1' is an id of ISO/IEC 27001:2013: it became part of A.8.8 of ISO/IEC 27001:2022, "
            "with part of A.18.2.3",
        ),
        (
            PCI,
            "1.1.5",
            "'1.1.5' is an id of PCI DSS v3.2.1; no correspondence to PCI DSS v4.0.1 ships with Plaintrust: "
            "find the PCI DSS v4.0.1 requirement it became, and map that",
        ),
    ],
)
def test_explain_says_what_the_old_id_became(version: crosswalks.Retired, old: str, expected: str) -> None:
    step = version.step(old)
    assert step is not None
    assert crosswalks.explain(version, step) == expected


@pytest.mark.parametrize(
    ("version", "old", "advice"),
    [
        (ISO, "A.9.2.1", "it is A.5.16 in ISO/IEC 27001:2022: declare A.5.16 not applicable instead"),
        (ISO, "A.11.1.6", "with A.11.1.2: declare A.7.2 not applicable only if A.11.1.2 does not apply either"),
        (
            ISO,
            "A.12.4.1",
            "with A.12.4.2 and A.12.4.3: declare A.8.15 not applicable only if A.12.4.2 and A.12.4.3 do not "
            "apply either",
        ),
        (
            ISO,
            "A.12.6.1",
            "with part of A.18.2.3: declare A.8.8 not applicable only if part of A.18.2.3 does not apply either",
        ),
        (ISO, "A.18.2.3", "of ISO/IEC 27001:2022: declare not applicable only those that do not apply"),
        (PCI, "1.1.5", "find the PCI DSS v4.0.1 requirement it became, and declare that one not applicable"),
    ],
)
def test_explain_for_an_id_declared_not_applicable_says_what_to_declare(
    version: crosswalks.Retired, old: str, advice: str
) -> None:
    step = version.step(old)
    assert step is not None
    worded = crosswalks.explain(version, step, exempt=True)
    assert worded.endswith(advice)
    assert "map" not in worded


@pytest.mark.parametrize(
    ("catalog", "requirement_id", "expected"),
    [
        ("iso27001-2022", "A.9.2.1", "'A.9.2.1' is an id of ISO/IEC 27001:2013: it is A.5.16 in ISO/IEC 27001:2022"),
        ("iso27001-2022", "A.7.15", "did you mean 'A.7.5'?"),
        ("pci-dss-4.0.1", "8.4.9", "did you mean '8.4.3'?"),
        ("", "A.9.2.1", None),  # a custom catalog: no earlier version, and nothing near
        ("iso27001-2022", "a.9.2.1", "'A.9.2.1' is an id of ISO/IEC 27001:2013: it is A.5.16 in ISO/IEC 27001:2022"),
    ],
)
def test_the_requirement_hint_names_the_earlier_version_before_any_spelling(
    catalog: str, requirement_id: str, expected: str | None
) -> None:
    known = current_ids(catalog) if catalog else ("CUSTOM-1", "CUSTOM-2")
    assert requirement_hint(catalog, known, requirement_id) == expected


def test_only_a_shipped_catalog_has_earlier_versions_whatever_a_custom_one_calls_itself() -> None:
    shipped = Catalog("iso27001-2022", "ISO/IEC 27001:2022", (), ())
    custom = dataclasses.replace(shipped, source=Document("frameworks/copy.yaml", {}, {}, {}))
    assert crosswalks.shipped_id(shipped) == "iso27001-2022"
    assert crosswalks.shipped_id(custom) == ""
