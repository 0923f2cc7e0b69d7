"""The retired framework versions match the reference lists in tests/data/reference: every
ISO/IEC 27001:2013 control and every PCI DSS v3.2.1 requirement is there, each ISO control goes
where ISO/IEC 27002:2022 Annex B says, and no PCI DSS correspondence is guessed."""

from __future__ import annotations

import csv
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from plaintrust import crosswalks
from plaintrust.catalogs import shipped_bytes
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


def test_the_2013_shape_fits_every_annex_a_control_of_2013_and_no_id_of_2022() -> None:
    assert ISO.shape is not None
    assert [i for i in annex_a(ISO.ids) if not ISO.shape.match(i)] == []
    assert [i for i in current_ids("iso27001-2022") if ISO.shape.match(i)] == []


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
    assert found == crosswalks.Likeness(crosswalks.retired(version), tuple(only_old), tuple(only_current))


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
    ("catalog", "requirement_id", "expected"),
    [
        ("iso27001-2022", "A.9.2.1", "'A.9.2.1' is an id of ISO/IEC 27001:2013: it is A.5.16 in ISO/IEC 27001:2022"),
        ("iso27001-2022", "A.7.15", "did you mean 'A.7.5'?"),
        ("pci-dss-4.0.1", "8.4.9", "did you mean '8.4.3'?"),
        ("", "A.9.2.1", None),  # a custom catalog: no earlier version, and nothing near
    ],
)
def test_the_requirement_hint_names_the_earlier_version_before_any_spelling(
    catalog: str, requirement_id: str, expected: str | None
) -> None:
    known = current_ids(catalog) if catalog else ("CUSTOM-1", "CUSTOM-2")
    assert requirement_hint(catalog, known, requirement_id) == expected
