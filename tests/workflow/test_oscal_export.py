"""`plaintrust export oscal`: both documents load with compliance-trestle's OSCAL models, and say
what the gap report says."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from trestle.oscal import OSCAL_VERSION_REGEX
from trestle.oscal.assessment_results import Model as AssessmentResultsModel
from trestle.oscal.component import Model as ComponentDefinitionModel

from helpers import edit, write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.internal import gaps, oscal

ROOT = Path(__file__).parents[2]


def _export(runner, repo: Path, *extra: str) -> Path:
    result = runner.invoke(cli.cli, ["export", "oscal", "--root", str(repo), *extra])
    assert result.exit_code == ExitCode.OK, result.output
    return Path(result.stdout.splitlines()[0]).parent


def _load(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    return (
        json.loads((folder / oscal.COMPONENT_DEFINITION).read_text()),
        json.loads((folder / oscal.ASSESSMENT_RESULTS).read_text()),
    )


def _valid(component: dict[str, Any], results: dict[str, Any]) -> None:
    """Any schema error (a missing field, a bad UUID or token, an unknown key) raises here."""
    ComponentDefinitionModel.parse_obj(component)
    AssessmentResultsModel.parse_obj(results)


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _uuids(document: dict[str, Any]) -> list[str]:
    return [v for k, v in _walk(document) if k == "uuid"]


def test_both_documents_validate_against_the_oscal_models(runner, base_repo: Path) -> None:
    folder = _export(runner, base_repo)
    assert folder == base_repo / "build" / "oscal"
    component, results = _load(folder)
    _valid(component, results)
    assert re.match(OSCAL_VERSION_REGEX, oscal.OSCAL_VERSION)


def test_the_component_definition_lists_each_framework_and_requirement(runner, base_repo: Path) -> None:
    component, _ = _load(_export(runner, base_repo))
    [service] = component["component-definition"]["components"]
    assert service["type"] == "service" and service["title"] == "Example Test Co"
    implementations = {i["source"]: i for i in service["control-implementations"]}
    assert set(implementations) == {"soc2-2017", "iso27001-2022"}
    iso = {r["control-id"]: r for r in implementations["iso27001-2022"]["implemented-requirements"]}
    assert set(iso) == {"A.5.17", "A.8.5"}
    props = {(p["name"], p["value"]) for p in iso["A.8.5"]["props"]}
    assert ("implemented-by", "AC-01") in props and ("requirement-id", "A.8.5") in props
    assert "AC-01: Multi-factor authentication for workforce access (implemented" in iso["A.8.5"]["description"]


def test_findings_follow_the_gap_report(runner, base_repo: Path) -> None:
    _, results = _load(_export(runner, base_repo))
    report = gaps.build(pipeline.run(base_repo).model)
    by_framework = {
        p["value"]: r for r in results["assessment-results"]["results"] for p in r["props"] if p["name"] == "framework"
    }
    for framework in report.frameworks:
        findings = {f["target"]["target-id"]: f for f in by_framework[framework.id]["findings"]}
        applicable = [r for r in framework.rows if r.status in oscal.APPLICABLE]
        assert len(findings) == len(applicable)
        for row in applicable:
            state = findings[oscal.token(row.id)]["target"]["status"]["state"]
            assert state == ("satisfied" if row.status is gaps.ReqStatus.MET else "not-satisfied"), row.id
    iso = {f["target"]["target-id"]: f for f in by_framework["iso27001"]["findings"]}
    assert iso["A.8.5"]["target"]["status"] == {
        "state": "satisfied",
        "reason": "pass",
        "remarks": "met: every control is implemented with current evidence",
    }
    soc2 = {f["target"]["target-id"]: f for f in by_framework["soc2"]["findings"]}
    # The audit period's first month has no evidence: partially met, so not satisfied, for another reason.
    assert soc2["CC6.1"]["target"]["status"]["state"] == "not-satisfied"
    assert soc2["CC6.1"]["target"]["status"]["reason"] == "other"
    assert soc2["CC6.2"]["target"]["status"] == {
        "state": "not-satisfied",
        "reason": "fail",
        "remarks": "not met: no control addresses it",
    }


def test_observations_name_evidence_with_its_sha256(runner, base_repo: Path) -> None:
    _, results = _load(_export(runner, base_repo))
    document = results["assessment-results"]
    resources = {r["uuid"]: r for r in document["back-matter"]["resources"]}
    observation = document["results"][0]["observations"][0]
    assert {(p["name"], p["value"]) for p in observation["props"]} >= {
        ("evidence-id", "mfa-policy"),
        ("evidence-state", "current"),
    }
    [evidence] = observation["relevant-evidence"]
    sha = "08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230"
    assert {"name": "sha256", "ns": oscal.NS, "value": sha} in evidence["props"]
    [link] = resources[evidence["href"][1:]]["rlinks"]
    assert link["hashes"] == [{"algorithm": "SHA-256", "value": sha}]
    assert (base_repo / "build" / "oscal" / link["href"]).resolve() == base_repo / "evidence/files/mfa-policy.json"
    assert resources[document["import-ap"]["href"][1:]]["title"] == "Plaintrust gap report"


def test_every_reference_resolves_and_every_uuid_is_unique(runner, base_repo: Path) -> None:
    component, results = _load(_export(runner, base_repo))
    for document in (component, results):
        ids = _uuids(document)
        assert len(ids) == len(set(ids))
    ids = set(_uuids(results))
    references = [v for k, v in _walk(results) if k == "observation-uuid"]
    references += [v[1:] for k, v in _walk(results) if k == "href" and v.startswith("#")]
    assert references and set(references) <= ids


def test_the_export_is_deterministic_with_stable_uuids(runner, base_repo: Path, tmp_path: Path) -> None:
    first = _load(_export(runner, base_repo, "-o", str(tmp_path / "a")))
    assert _load(_export(runner, base_repo, "-o", str(tmp_path / "b"))) == first
    edit(base_repo, "controls/access/ac-01.yaml", "title: Multi-factor", "title: Two-factor")
    second = _load(_export(runner, base_repo, "-o", str(tmp_path / "c")))
    assert second[0]["component-definition"]["uuid"] != first[0]["component-definition"]["uuid"]
    assert (
        second[0]["component-definition"]["components"][0]["uuid"]
        == first[0]["component-definition"]["components"][0]["uuid"]
    )


def test_one_framework_only(runner, base_repo: Path) -> None:
    component, results = _load(_export(runner, base_repo, "--framework", "iso27001"))
    _valid(component, results)
    assert [r["props"][0]["value"] for r in results["assessment-results"]["results"]] == ["iso27001"]


def test_the_public_site_is_refused_as_output(runner, base_repo: Path) -> None:
    for folder in ("build/site/oscal", "site/oscal"):
        result = runner.invoke(cli.cli, ["export", "oscal", "--root", str(base_repo), "-o", str(base_repo / folder)])
        assert result.exit_code == ExitCode.USAGE and "nothing was written" in result.stderr
        assert not (base_repo / folder).exists()


def test_an_unknown_framework_is_a_usage_error(runner, base_repo: Path) -> None:
    result = runner.invoke(cli.cli, ["export", "oscal", "--root", str(base_repo), "--framework", "nist"])
    assert result.exit_code == ExitCode.USAGE


def test_errors_in_the_files_stop_the_export(runner, base_repo: Path) -> None:
    write(
        base_repo, "controls/access/ac-09.yaml", "id: AC-09\ntitle: Broken\nstatus: done\nowner: x\nfrequency: daily\n"
    )
    result = runner.invoke(cli.cli, ["export", "oscal", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert "ac-09.yaml" in result.output and "nothing was exported" in result.stderr
    assert not (base_repo / "build" / "oscal").exists()


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        ("CC6.1", "CC6.1"),
        ("A.5.17", "A.5.17"),
        ("8.4.1", "req-8.4.1"),
        ("A1.2(b)", "A1.2_b_"),
    ],
)
def test_requirement_ids_become_oscal_tokens(requirement: str, expected: str) -> None:
    assert oscal.token(requirement) == expected


def test_the_example_repository_exports_valid_oscal(runner, tmp_path: Path) -> None:
    """The example's 80 controls, 223 records and all three frameworks, PCI DSS ids included."""
    component, results = _load(_export(runner, ROOT, "-o", str(tmp_path / "oscal")))
    _valid(component, results)
    sources = [i["source"] for i in component["component-definition"]["components"][0]["control-implementations"]]
    assert sources == ["soc2-2017", "iso27001-2022", "pci-dss-4.0.1"]
