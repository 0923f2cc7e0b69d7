"""The shipped framework catalogs match the reference identifier lists in tests/data/reference."""

import csv
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
CATALOGS = ROOT / "generator/plaintrust/catalogs"
REFERENCE = ROOT / "tests/data/reference"
NAMES = ["soc2-2017", "iso27001-2022", "pci-dss-4.0.1"]


@cache
def catalog(name):
    return yaml.safe_load((CATALOGS / f"{name}.yaml").read_text(encoding="utf-8"))


@cache
def reference(name):
    with open(REFERENCE / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def requirements(name):
    return catalog(name)["requirements"]


def expected_parent(name, req):
    """PCI ids and ISO subclauses hang under the id without their last dot-part."""
    hierarchical = (name == "pci-dss-4.0.1" and "." in req["id"]) or (
        name == "iso27001-2022" and req["group"] == "subclause"
    )
    return req["id"].rsplit(".", 1)[0] if hierarchical else None


@pytest.mark.parametrize("name", NAMES)
def test_catalog_id_matches_file_name(name):
    assert catalog(name)["id"] == name


@pytest.mark.parametrize("name", NAMES)
def test_ids_match_reference_in_order_without_duplicates(name):
    ids = [req["id"] for req in requirements(name)]
    expected = [row["id"] for row in reference(name)]
    assert all(isinstance(i, str) for i in ids), "unquoted id read as a number"
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert set(ids) == set(expected)
    assert ids == expected, "not in the standard's order"


@pytest.mark.parametrize("name", ["soc2-2017", "iso27001-2022"])
def test_groups_match_reference(name):
    actual = {req["id"]: req["group"] for req in requirements(name)}
    assert actual == {row["id"]: row["group"] for row in reference(name)}


@pytest.mark.parametrize("name", NAMES)
def test_every_group_used_is_declared(name):
    declared = [group["id"] for group in catalog(name)["groups"]]
    assert len(declared) == len(set(declared))
    assert {req["group"] for req in requirements(name)} <= set(declared)


@pytest.mark.parametrize("name", NAMES)
def test_parents(name):
    ids = {req["id"] for req in requirements(name)}
    for req in requirements(name):
        parent = req.get("parent")
        assert parent == expected_parent(name, req), req["id"]
        if parent is not None:
            assert parent in ids and req["id"].startswith(parent + "."), req["id"]


@pytest.mark.parametrize("name, count", [("soc2-2017", 61), ("iso27001-2022", 127), ("pci-dss-4.0.1", 366)])
def test_requirement_count(name, count):
    assert len(requirements(name)) == count


def test_pci_levels():
    depths = [len(req["id"].split(".")) for req in requirements("pci-dss-4.0.1")]
    assert depths.count(1) == 15  # requirements 1-12 and appendices A1-A3
    assert sum(depth >= 3 for depth in depths) == 280


def test_iso_annex_a_controls():
    annex_a = [req for req in requirements("iso27001-2022") if req["id"].startswith("A.")]
    assert len(annex_a) == 93
    themes = {"organizational": 37, "people": 8, "physical": 14, "technological": 34}
    assert {theme: sum(req["group"] == theme for req in annex_a) for theme in themes} == themes


@pytest.mark.parametrize("name", NAMES)
def test_titles_are_short_single_lines(name):
    cat = catalog(name)
    for item in cat["groups"] + cat["requirements"]:
        title = item["title"]
        assert isinstance(title, str) and title.strip() == title != "", item["id"]
        assert "\n" not in title and len(title) <= 90, item["id"]
