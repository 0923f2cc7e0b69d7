"""load -> validate -> model: the one entry point for the CLI and the MkDocs plugin."""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable

from plaintrust import assemble, clock, rules
from plaintrust.catalogs import SHIPPED, shipped_bytes
from plaintrust.diagnostics import Diagnostic, Location, finalize, has_findings
from plaintrust.evidence import hashing
from plaintrust.evidence.cache import StatCache
from plaintrust.load import discovery
from plaintrust.load.frontmatter import parse_page
from plaintrust.load.mkdocs_config import read_settings
from plaintrust.load.paths import FileFact, FileStatus, inspect
from plaintrust.load.yamlfile import Document, Parsed, parse_bytes
from plaintrust.model import Catalog, Model, Notice, Program, TrustProfile
from plaintrust.rules._suggest import did_you_mean
from plaintrust.schemas import messages
from plaintrust.settings import Settings


@dataclass(frozen=True)
class Result:
    root: Path
    model: Model
    diagnostics: tuple[Diagnostic, ...]

    def failed(self, strict: bool = False) -> bool:
        return has_findings(self.diagnostics, strict)


def run(root: Path, today: dt.date | None = None, settings: Settings | None = None, *, rehash: bool = False) -> Result:
    """Read and check the repository at `root`; every problem comes back as a diagnostic.

    `settings` default to the plaintrust plugin's options in mkdocs.yml. `rehash` reads every
    evidence file again instead of trusting the stat cache (verify and pin must not trust it).
    """
    day = today or clock.today()
    reader = _Reader(Path(root), rehash)
    if settings is None:
        settings, problems = read_settings(reader.root)
        reader.problems.extend(problems)
    found = discovery.find(reader.root)
    for rel in found.shadowed:
        reader.problems.append(Location(rel).error(
            "duplicate-file", f"{rel} is ignored: {rel[:-4]}.yaml exists too", "keep one of the two"))
    controls = reader.documents(found.controls, "control")
    records = reader.records(found.evidence)
    model = Model(
        today=day,
        now=None if today else clock.now(),
        program=reader.program(found.program),
        controls=tuple(assemble.control(d) for d in controls),
        evidence=assemble.evidence(records, reader.evidence_facts(records), day),
        trust=reader.trust(found.trust),
        notices=reader.notices(found.updates),
        broken_ids=frozenset(reader.broken_ids),
        incomplete=frozenset(reader.incomplete),
        settings=settings,
    )
    problems = [*reader.problems, *rules.check_all(model)]
    return Result(reader.root, model, tuple(finalize(problems)))


class _Reader:
    """Reads one repository: parses and schema-checks files, collecting problems as it goes."""

    def __init__(self, root: Path, rehash: bool = False) -> None:
        self.root = root
        self.rehash = rehash
        self.problems: list[Diagnostic] = []
        self.broken_ids: set[str] = set()
        self.incomplete: set[str] = set()  # kinds of which some file could not be used

    def read(self, rel: str) -> Parsed | None:
        try:
            raw = (self.root / rel).read_bytes()
        except OSError as exc:
            self.problems.append(Location(rel).error("io", f"cannot read the file: {exc.strerror}"))
            return None
        parsed = parse_bytes(rel, raw)
        if parsed.document is None and (salvaged := _ID_LINE.search(raw)):
            self.broken_ids.add(salvaged.group(1).decode())
        return parsed

    def parse(self, rel: str) -> Document | None:
        parsed = self.read(rel)
        return self.keep(parsed) if parsed else None

    def keep(self, parsed: Parsed) -> Document | None:
        self.problems.extend(parsed.diagnostics)
        return parsed.document

    def validate(self, document: Document | None, kind: str) -> Document | None:
        """The document when it matches its schema; else None, its id noted to avoid cascades."""
        if document is None:
            self.incomplete.add(kind)
            return None
        found = messages.check(document, kind)
        if not found:
            return document
        self.problems.extend(found)
        self.incomplete.add(kind)
        if isinstance(document.data, dict) and isinstance(document.data.get("id"), str):
            self.broken_ids.add(document.data["id"])
        return None

    def documents(self, paths: Iterable[str], kind: str) -> list[Document]:
        checked = (self.validate(self.parse(rel), kind) for rel in paths)
        return [d for d in checked if d is not None]

    def records(self, paths: Iterable[str]) -> list[Document]:
        """Evidence records: YAML under evidence/ minus the files records pin (a YAML export is evidence)."""
        parsed = {rel: self.read(rel) for rel in paths}
        pinned = _pinned_paths(p.document for p in parsed.values() if p and p.document)
        checked = (self.validate(self.keep(p), "evidence") for rel, p in parsed.items() if p and rel not in pinned)
        return [d for d in checked if d is not None]

    def program(self, rel: str | None) -> Program | None:
        if rel is None:
            self.problems.append(Location(discovery.PROGRAM).error(
                "missing-file", "controls/program.yaml is missing", "declare the frameworks in scope there"))
            return None
        document = self.validate(self.parse(rel), "program")
        if document is None:
            return None
        catalogs = {}
        for index, entry in enumerate(document.data["frameworks"]):
            loaded = self.catalog(document, index, entry["catalog"])
            if loaded is not None:
                catalogs[index] = loaded
        return assemble.program(document, catalogs)

    def catalog(self, program: Document, index: int, name: str) -> Catalog | None:
        if name in SHIPPED:
            return _shipped_catalog(name)
        where = program.at("frameworks", index, "catalog")
        fact = inspect(self.root, name)
        if fact.status is not FileStatus.OK:
            hint = did_you_mean(name, SHIPPED) or f"shipped: {', '.join(SHIPPED)}; or a catalog YAML path inside the repository"
            message = f"catalog '{name}' is neither a shipped catalog nor a file inside the repository"
            self.problems.append(where.error("unknown-catalog", message, hint))
            return None
        document = self.validate(self.parse(posixpath.normpath(name)), "catalog")
        return assemble.catalog(document) if document else None

    def evidence_facts(self, records: list[Document]) -> dict[str, FileFact]:
        folder = self.root / "evidence"
        written = {f["path"] for d in records for f in d.data["files"]}
        facts = {path: inspect(folder, path) for path in sorted(written)}
        return hashing.hash_all(facts, None if self.rehash else StatCache(self.root))

    def trust(self, rel: str | None) -> TrustProfile | None:
        if rel is None:
            self.problems.append(Location(discovery.TRUST).error(
                "missing-file", "site/trust.yaml is missing", "it holds the public profile and its categories"))
            return None
        document = self.validate(self.parse(rel), "trust")
        if document is None:
            return None
        return assemble.trust(document, self.site_facts(document))

    def site_facts(self, document: Document) -> dict[str, FileFact]:
        data = document.data
        named = [(data.get("brand") or {}).get("logo")]
        named += [c.get("file") for c in data.get("certifications") or ()]
        named += [d.get("file") for d in data.get("documents") or ()]
        return {path: inspect(self.root / "site", path) for path in sorted({n for n in named if n})}

    def notices(self, paths: Iterable[str]) -> tuple[Notice, ...]:
        found = []
        for rel in paths:
            try:
                page = parse_page(rel, (self.root / rel).read_bytes())
            except OSError as exc:
                self.problems.append(Location(rel).error("io", f"cannot read the file: {exc.strerror}"))
                continue
            document = self.validate(self.keep(page.parsed), "update")
            if document is not None:
                found.append(assemble.notice(page, document))
        return tuple(found)


def _pinned_paths(documents: Iterable[Document]) -> set[str]:
    pinned = set()
    for document in documents:
        files = document.data.get("files") if isinstance(document.data, dict) else None
        for entry in files if isinstance(files, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                pinned.add(posixpath.normpath(f"evidence/{entry['path']}"))
    return pinned


# A file that does not parse may still name its id on a line of its own: salvage it so that
# references to it are not reported as unknown on top of the file's own error.
_ID_LINE = re.compile(rb"(?m)^id:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9._-]{0,63})")


@cache
def _shipped_catalog(name: str) -> Catalog:
    """Shipped catalogs are tested to be valid; parse each once per process."""
    parsed = parse_bytes(f"{name}.yaml", shipped_bytes(name))
    assert parsed.document is not None and not parsed.diagnostics, parsed.diagnostics
    return dataclasses.replace(assemble.catalog(parsed.document), source=None)
