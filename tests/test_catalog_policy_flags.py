"""Catalogs say which requirements call for a policy (`policy: true` on a requirement)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import edit, write
from plaintrust import pipeline, schemas
from plaintrust.catalogs import SHIPPED, shipped_bytes
from plaintrust.reporters import text

# The requirements whose own wording asks for a documented, approved policy (or plan, or notice).
FLAGGED = {
    "soc2-2017": {"CC2.2", "CC5.3", "P1.1"},
    "iso27001-2022": {"5.2", "A.5.1", "A.5.10", "A.5.15", "A.5.24"},
    "pci-dss-4.0.1": {
        "1.1.1", "2.1.1", "3.1.1", "4.1.1", "5.1.1", "6.1.1", "7.1.1",
        "8.1.1", "9.1.1", "10.1.1", "11.1.1", "12.1.1", "12.1.2", "12.10.1",
    },
}  # fmt: skip

CUSTOM = """\
id: internal-2026
name: Internal security baseline 2026
requirements:
  - {id: IB-1, group: identity, title: Strong sign-in for every account, policy: true}
  - {id: IB-2, group: identity, title: Access reviews, policy: false}
  - {id: IB-3, group: identity, title: Central audit logging}
"""


def requirements(name: str) -> list[dict]:
    return yaml.safe_load(shipped_bytes(name))["requirements"]


def test_every_shipped_catalog_is_listed() -> None:
    assert set(FLAGGED) == set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_the_flagged_requirements_are_exactly_the_list(name: str) -> None:
    flags = {req["id"]: req["policy"] for req in requirements(name) if "policy" in req}
    assert set(flags) == FLAGGED[name]
    assert all(value is True for value in flags.values()), "only `policy: true` is written"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_flagged_requirement_is_a_leaf(name: str) -> None:
    # A flag on a parent would ask for a policy twice: once for it, once through each child.
    parents = {req.get("parent") for req in requirements(name)}
    assert not FLAGGED[name] & parents


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_catalogs_meet_the_schema(name: str) -> None:
    assert schemas.is_valid("catalog", yaml.safe_load(shipped_bytes(name)))


def test_the_model_carries_the_flag(base_repo: Path) -> None:
    result = pipeline.run(base_repo)
    catalogs = {f.catalog.id: f.catalog for f in result.model.program.frameworks}
    flagged = {name: {r.id for r in c.requirements if r.policy} for name, c in catalogs.items()}
    assert flagged == {name: FLAGGED[name] for name in catalogs}


def custom_catalog(repo: Path, text: str) -> pipeline.Result:
    write(repo, "frameworks/custom.yaml", text)
    framework = "  - id: internal\n    catalog: frameworks/custom.yaml\n"
    edit(repo, "controls/program.yaml", "  - id: iso27001\n", framework + "  - id: iso27001\n")
    return pipeline.run(repo)


def test_a_custom_catalog_may_flag_requirements(base_repo: Path) -> None:
    result = custom_catalog(base_repo, CUSTOM)
    assert not result.failed(), text(result.diagnostics)
    assert "frameworks/custom.yaml" not in text(result.diagnostics)


def test_a_custom_catalog_flag_false_is_no_flag(base_repo: Path) -> None:
    framework = custom_catalog(base_repo, CUSTOM).model.program.framework("internal")
    assert {r.id for r in framework.catalog.requirements if r.policy} == {"IB-1"}


@pytest.mark.parametrize("value", ['"yes"', "yes", "True", "1"])
def test_a_custom_catalog_policy_flag_must_be_true_or_false(base_repo: Path, value: str) -> None:
    result = custom_catalog(base_repo, CUSTOM.replace("policy: false", f"policy: {value}"))
    line = f"frameworks/custom.yaml:5:64: error [schema] policy: '{value.strip(chr(34))}' is not one of: true, false"
    assert result.failed()
    assert line in text(result.diagnostics).splitlines()
