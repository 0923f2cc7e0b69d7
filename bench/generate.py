"""Generate a synthetic trust-center repository: N controls, N evidence records, realistic sizes.

    python bench/generate.py DIR --controls 10000

Controls map into all three shipped catalogs, link one or two evidence records each, and about
two thirds are public with a plain summary of their own (each distinct, as in a real program,
so readability is scored for every one); every record pins one small file. The same seed gives
the same repository, byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from pathlib import Path

import yaml

from plaintrust.catalogs import shipped_bytes

CATEGORIES = [
    "access-control",
    "data-protection",
    "infrastructure-security",
    "logging-monitoring",
    "secure-development",
    "vulnerability-management",
    "incident-response",
    "business-continuity",
    "vendor-management",
    "people-security",
    "physical-security",
    "privacy",
    "governance",
]
FREQUENCIES = ["continuous", "daily", "weekly", "monthly", "quarterly", "semiannual", "annual"]
WORDS = [
    "access",
    "review",
    "encryption",
    "backup",
    "restore",
    "logging",
    "alert",
    "patch",
    "vendor",
    "training",
    "incident",
    "change",
    "approval",
    "network",
    "firewall",
    "key",
    "rotation",
    "vault",
    "policy",
    "audit",
    "evidence",
    "owner",
    "system",
    "service",
    "data",
    "customer",
    "account",
    "password",
    "token",
    "session",
    "device",
    "laptop",
    "cloud",
    "region",
    "replica",
    "monitor",
]
SUMMARIES = [
    "We check who can get into our systems every three months.",
    "Staff sign in with a security key. A password alone is never enough.",
    "We keep daily backups and test that we can restore them.",
    "Every change is reviewed by a second engineer before it goes live.",
    "We scan our systems for known flaws every week and fix what we find.",
]


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block (`|`), the way people write descriptions."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None),
)


def leaves(catalog: str) -> list[str]:
    data = yaml.safe_load(shipped_bytes(catalog))
    parents = {r.get("parent") for r in data["requirements"]}
    groups = {"soc2-2017": {"security"}, "pci-dss-4.0.1": {"requirements"}}.get(catalog)
    return [
        r["id"] for r in data["requirements"] if r["id"] not in parents and (groups is None or r["group"] in groups)
    ]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def control(rng: random.Random, index: int, ids: dict[str, list[str]]) -> tuple[str, str]:
    """The control's YAML and its frequency (its own evidence keeps that pace)."""
    evidence = [f"ev-{index:05d}"] + ([f"ev-{rng.randrange(index + 1):05d}"] if rng.random() < 0.3 and index else [])
    data = {
        "id": f"CTL-{index:05d}",
        "title": sentence(rng, 6)[:-1],
        "status": "implemented",
        "owner": f"team-{index % 40}@bench.example",
        "description": "\n".join(sentence(rng, 14) for _ in range(4)) + "\n",
        "frequency": rng.choice(FREQUENCIES),
        "satisfies": {
            "soc2": rng.sample(ids["soc2"], 2),
            "iso27001": rng.sample(ids["iso27001"], 2),
            "pci-dss": rng.sample(ids["pci-dss"], 3),
        },
        "evidence": sorted(set(evidence)),
    }
    if index % 3:
        data["public"] = {
            "category": CATEGORIES[index % len(CATEGORIES)],
            "title": f"Practice {index}",
            "summary": f"{rng.choice(SUMMARIES)} This covers system {index}.",
        }
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=100), data["frequency"]


def record(rng: random.Random, index: int, digest: str, frequency: str) -> str:
    refresh = "monthly" if frequency in ("daily", "weekly", "monthly") else "quarterly"
    return yaml.dump(
        {
            "id": f"ev-{index:05d}",
            "title": f"{sentence(rng, 5)[:-1]} export",
            "kind": "configuration",
            "collected": "2026-11-10",
            "refresh": refresh,
            "classification": "internal",
            "files": [{"path": f"files/{index // 1000:02d}/ev-{index:05d}.json", "sha256": digest}],
        },
        Dumper=_Dumper,
        sort_keys=False,
    )


def write_repo(root: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    shutil.rmtree(root, ignore_errors=True)
    ids = {"soc2": leaves("soc2-2017"), "iso27001": leaves("iso27001-2022"), "pci-dss": leaves("pci-dss-4.0.1")}
    _write(root / "controls/program.yaml", PROGRAM)
    _write(root / "mkdocs.yml", MKDOCS)
    _write(
        root / "site/trust.yaml",
        TRUST + "".join(f"  - {{id: {c}, title: {c.replace('-', ' ').capitalize()}}}\n" for c in CATEGORIES),
    )
    for index in range(count):
        text, frequency = control(rng, index, ids)
        _write(root / f"controls/{index // 500:02d}/ctl-{index:05d}.yaml", text)
        setting = rng.choice(WORDS)  # drawn before the values: the same seed gives the same files
        values = ", ".join(str(rng.randrange(999)) for _ in range(60))
        content = f'{{"setting": "{setting}", "values": [{values}]}}\n'.encode()
        _write(root / f"evidence/files/{index // 1000:02d}/ev-{index:05d}.json", content)
        _write(
            root / f"evidence/records/{index // 500:02d}/ev-{index:05d}.yaml",
            record(rng, index, hashlib.sha256(content).hexdigest(), frequency),
        )


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)


PROGRAM = """\
organization: Bench Co
frameworks:
  - {id: soc2, catalog: soc2-2017, scope: [security], scope_exclusions: {availability: n/a, confidentiality: n/a, processing_integrity: n/a, privacy: n/a}, audit_period: {from: 2026-01-01, to: 2026-12-31}}
  - {id: iso27001, catalog: iso27001-2022}
  - {id: pci-dss, catalog: pci-dss-4.0.1, scope: [requirements], scope_exclusions: {appendix-a1: n/a, appendix-a2: n/a, appendix-a3: n/a}, audit_period: {from: 2025-12-01, to: 2026-11-30}}
"""
MKDOCS = """\
site_name: Bench Co Trust Center
site_url: https://trust.bench.example/
docs_dir: site
site_dir: build/site
theme: {name: material, font: false}
plugins: [search, plaintrust]
"""
TRUST = """\
organization: Bench Co
security_contact: mailto:security@bench.example
categories:
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--controls", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_repo(args.directory, args.controls, args.seed)


if __name__ == "__main__":
    main()
