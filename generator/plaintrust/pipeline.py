"""load -> validate -> model: the one entry point for the CLI and the MkDocs plugin."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plaintrust import assemble, clock, gcpause, policies, rules
from plaintrust.boundary import pdfworker, sources
from plaintrust.boundary.extract import Memo
from plaintrust.catalogs import SHIPPED, shipped_bytes
from plaintrust.core import Document, FileFact, FileStatus
from plaintrust.diagnostics import Diagnostic, Location, finalize, has_findings
from plaintrust.evidence import hashing, ledger
from plaintrust.evidence.cache import StatCache
from plaintrust.load import discovery, page_titles, policy_history, snippets, watch_history
from plaintrust.load.checked import Checked, check_file, lazy_document, stamp
from plaintrust.load.doccache import DocumentCache
from plaintrust.load.frontmatter import Page, parse_page
from plaintrust.load.mkdocs_config import read_settings, theme_clashes
from plaintrust.load.parallel import PARALLEL_FROM, check_many
from plaintrust.load.paths import FolderIndex, inspect
from plaintrust.load.yamlfile import Parsed, parse_bytes
from plaintrust.model import Catalog, Control, Model, Notice, Policy, Program, TrustProfile, WatchFact
from plaintrust.rules import collect_options, readability, site_layout
from plaintrust.schemas import messages
from plaintrust.settings import Settings
from plaintrust.suggest import did_you_mean


@dataclass(frozen=True)
class Result:
    root: Path
    model: Model
    diagnostics: tuple[Diagnostic, ...]
    # Ordinary phrases the public inputs contain: the leak guard lets them pass in the output.
    ordinary: frozenset[tuple[str, ...]] = frozenset()
    # What the input screen derived, for the output guard of the same build (see `guard.tree.Reused`).
    screened: sources.Screened | None = None

    def failed(self, strict: bool = False) -> bool:
        return has_findings(self.diagnostics, strict)


def run(
    root: Path,
    today: dt.date | None = None,
    settings: Settings | None = None,
    *,
    rehash: bool = False,
    cache: bool | DocumentCache = True,
) -> Result:
    """Read and check the repository at `root`; every problem comes back as a diagnostic.

    `settings` default to the plaintrust plugin's options in mkdocs.yml. `rehash` reads every
    evidence file again instead of trusting the stat cache (verify and pin must not trust it);
    `cache` False ignores `.plaintrust-cache/` altogether; a DocumentCache (the preview's, kept
    between its runs) is used as it is in memory rather than read from the disk again.
    """
    with gcpause.paused():
        reader = _Reader(Path(root), rehash, cache)
        model = _model(reader, today, settings)
        rules.prepare(model)  # the slow rules' share starts in a worker while the guard screens
        screened = sources.screen(reader.root, model, reader.public_inputs(model), reader.memo)
        if screened.withheld:  # change lines from git no edit can fix: the site leaves them out
            model = dataclasses.replace(model, withheld_changes=screened.withheld)
        includes = snippets.check(
            reader.root, model.site_pages, model.settings.snippet_paths, model.settings.snippet_auto
        )
        problems = [*reader.problems, *rules.check_all(model), *screened.problems, *includes]
        reader.save()
    return Result(reader.root, model, tuple(finalize(problems)), screened.ordinary, screened)


def _model(reader: _Reader, today: dt.date | None, settings: Settings | None) -> Model:
    day = today or clock.today()
    if settings is None:
        settings, problems = read_settings(reader.root)
        reader.problems.extend(problems)
    found = discovery.find(reader.root)
    pdfworker.start(reader.root, (f"site/{rel}" for rel in found.site_files), reader.memo)  # read while YAML loads
    reader.problems += [*found.problems, *theme_clashes(settings, found.site_files)]
    for rel in found.shadowed:
        reader.problems.append(
            Location(rel).error(
                "duplicate-file", f"{rel} is ignored: {rel[:-4]}.yaml exists too", "keep one of the two"
            )
        )
    controls = tuple(assemble.control(d) for d in reader.documents(found.controls, "control"))
    records = reader.records(found.evidence)
    watch_facts, watch_unknown = reader.watches(controls, day)
    return Model(
        today=day,
        now=None if today else clock.now(),
        program=reader.program(found.program),
        controls=controls,
        evidence=assemble.evidence(records, reader.evidence_facts(records), day),
        trust=reader.trust(found.trust),
        notices=reader.notices(found.updates),
        settings=settings,
        site_pages=found.site_pages,
        site_files=found.site_files,
        page_titles=page_titles.titles(reader.root, (p for p in found.site_pages if f"site/{p}" not in found.updates)),
        ledger=ledger.summary(reader.root),  # None when absent or broken: `evidence verify` says why
        policies=reader.policies(found.policies),
        approvals=ledger.approvals(reader.root) if found.policies else {},
        watch_facts=watch_facts,
        watch_unknown=watch_unknown,
        answers=tuple(assemble.answer(d) for d in reader.documents(found.answers, "answer")),
        # last: the arguments above are read in order, and each reader notes what failed to load
        broken_ids=frozenset(i for k, i in reader.broken if k != "answer"),  # an answer's id names nothing else
        incomplete=frozenset(reader.incomplete),
        broken=frozenset(reader.broken),
    )


class _Reader:
    """Reads one repository: parses and schema-checks files, collecting problems as it goes."""

    def __init__(self, root: Path, rehash: bool = False, cache: bool | DocumentCache = True) -> None:
        self.root = root
        self.rehash = rehash
        self.cache = cache if isinstance(cache, DocumentCache) else DocumentCache(root) if cache else None
        if self.cache is not None:
            known = self.cache.extra("readability")
            readability.KNOWN.update(
                {text: tuple(v) for text, v in known.items() if isinstance(v, list) and len(v) == 2}
            )
            collect_options.KNOWN_VALID.update(k for k, v in self.cache.extra("collect_options").items() if v is True)
        self.problems: list[Diagnostic] = []
        self.memo = Memo(self.cache.extra("guard") if self.cache is not None else None)
        self.shipped_kept = self.cache.extra("shipped_catalogs") if self.cache is not None else {}
        self.shipped_used: dict[str, Any] = {}
        self.broken: set[tuple[str, str]] = set()  # (kind, id) of the files that failed to load
        self.incomplete: set[str] = set()  # kinds of which some file could not be used

    def check(self, paths: list[str], kind: str) -> list[tuple[Checked, Document | None]]:
        """Every file checked once: from the cache when unchanged, else read (on every core if many)."""
        done: dict[str, tuple[Checked, Document | None]] = {}
        misses = []
        prefix = f"{self.root}{os.sep}"
        for rel in paths:
            hit = self.cache.get(rel, kind, stamp(prefix + rel)) if self.cache else None
            if hit is not None:
                done[rel] = (hit, None)
            else:
                misses.append(rel)
        if len(misses) < PARALLEL_FROM:
            fresh = [check_file(self.root, rel, kind) for rel in misses]
        else:
            fresh = [(c, None) for c in check_many(self.root, [(rel, kind) for rel in misses])]
        for checked, document in fresh:
            done[checked.rel] = (checked, document)
            if self.cache is not None:
                self.cache.put(checked)
        return [done[rel] for rel in paths]

    def accept(self, checked: Checked, document: Document | None) -> Document | None:
        """The usable document, or None after noting its problems (its id kept to avoid cascades)."""
        self.problems.extend(checked.diagnostics)
        if checked.data is not None and checked.schema_ok:
            return document or lazy_document(self.root, checked)
        self.incomplete.add(checked.kind)
        data = checked.data
        salvaged = data.get("id") if isinstance(data, dict) else checked.salvaged_id
        if isinstance(salvaged, str):
            self.broken.add((checked.kind, salvaged))
        return None

    def documents(self, paths: Iterable[str], kind: str) -> list[Document]:
        accepted = (self.accept(*pair) for pair in self.check(list(paths), kind))
        return [d for d in accepted if d is not None]

    def single(self, rel: str, kind: str) -> Document | None:
        [pair] = self.check([rel], kind)
        return self.accept(*pair)

    def records(self, paths: Iterable[str]) -> list[Document]:
        """Evidence records: YAML under evidence/ minus the files records pin (a YAML export is evidence)."""
        pairs = self.check(list(paths), "evidence")
        pinned = _pinned_paths(c.data for c, _ in pairs)
        accepted = (self.accept(*pair) for pair in pairs if pair[0].rel not in pinned)
        return [d for d in accepted if d is not None]

    def public_inputs(self, model: Model) -> list[str]:
        """Every published input file, relative to the root: site/, mkdocs.yml, the theme's custom_dir."""
        found = [f"site/{rel}" for rel in model.site_files]
        found += [discovery.CONFIG] if (self.root / discovery.CONFIG).is_file() else []
        custom = model.settings.custom_dir
        if custom and site_layout.allowed_custom_dir(custom) and (self.root / custom).is_dir():
            files, problems = discovery.theme_files(self.root, custom)
            self.problems.extend(problems)
            found += files
        return found

    def save(self) -> None:
        if self.cache is not None:
            # only this run's summaries: scores of edited-away texts would pile up forever
            self.cache.set_extra("readability", readability.used_scores())
            self.cache.set_extra("collect_options", collect_options.used_verdicts())
            self.cache.set_extra("guard", self.memo.used)
            self.cache.set_extra("shipped_catalogs", self.shipped_used)
            self.cache.save()

    def program(self, rel: str | None) -> Program | None:
        if rel is None:
            self.problems.append(
                Location(discovery.PROGRAM).error(
                    "missing-file", "controls/program.yaml is missing", "declare the frameworks in scope there"
                )
            )
            return None
        document = self.single(rel, "program")
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
            return self.shipped(name)
        where = program.at("frameworks", index, "catalog")
        fact = inspect(self.root, name)
        if fact.status is not FileStatus.OK:
            hint = (
                did_you_mean(name, SHIPPED)
                or f"shipped: {', '.join(SHIPPED)}; or a catalog YAML path inside the repository"
            )
            message = f"catalog '{name}' is neither a shipped catalog nor a file inside the repository"
            self.problems.append(where.error("unknown-catalog", message, hint))
            return None
        document = self.single(posixpath.normpath(name), "catalog")
        return assemble.catalog(document) if document else None

    def shipped(self, name: str) -> Catalog:
        """A shipped catalog, built once per process. Its YAML takes longer to parse than a hundred
        controls, so its data is kept in the cache by the digest of its bytes (they change only with
        Plaintrust itself)."""
        raw = shipped_bytes(name)
        key = f"{name}:{hashlib.sha256(raw).hexdigest()}"
        if key not in _SHIPPED:
            data = _kept_data(self.shipped_kept.get(key)) or _parsed_shipped(name, raw)
            catalog = assemble.catalog(Document(f"{name}.yaml", data, {}, {}))
            _SHIPPED[key] = (data, dataclasses.replace(catalog, source=None))
        data, built = _SHIPPED[key]
        self.shipped_used[key] = {"sha256": _data_digest(data), "data": data}
        return built

    def evidence_facts(self, records: list[Document]) -> dict[str, FileFact]:
        folder = self.root / "evidence"
        written = {f["path"] for d in records for f in d.data["files"]}
        index = FolderIndex(folder)
        facts = {path: index.fact(path) for path in sorted(written)}
        return hashing.hash_all(facts, None if self.rehash else StatCache(self.root))

    def trust(self, rel: str | None) -> TrustProfile | None:
        if rel is None:
            self.problems.append(
                Location(discovery.TRUST).error(
                    "missing-file", "site/trust.yaml is missing", "it holds the public profile and its categories"
                )
            )
            return None
        document = self.single(rel, "trust")
        if document is None:
            return None
        return assemble.trust(document, self.site_facts(document))

    def site_facts(self, document: Document) -> dict[str, FileFact]:
        data = document.data
        named = [(data.get("brand") or {}).get("logo")]
        named += [c.get("file") for c in data.get("certifications") or ()]
        named += [(c.get("bridge_letter") or {}).get("file") for c in data.get("certifications") or ()]
        named += [d.get("file") for d in data.get("documents") or ()]
        return {path: inspect(self.root / "site", path) for path in sorted({n for n in named if n})}

    def notices(self, paths: Iterable[str]) -> tuple[Notice, ...]:
        pages = (self.page(rel, "update") for rel in paths)
        return tuple(assemble.notice(page, document) for page, document in pages if document is not None)

    def policies(self, paths: tuple[str, ...]) -> tuple[Policy, ...]:
        pages = [self.page(rel, "policy") for rel in paths]
        usable = [(rel, page, d) for rel, (page, d) in zip(paths, pages, strict=True) if d is not None]
        history = self.histories({rel: d.data["id"] for rel, _, d in usable})
        return tuple(assemble.policy(page, d, history.get(rel, ())) for rel, page, d in usable)

    def histories(self, current: dict[str, str]) -> dict[str, tuple[policy_history.Version, ...]]:
        """Path -> the approved versions git holds (`current`: path -> the policy's id). Reading git costs
        a tenth of a second per few hundred commits: the revisions are kept by HEAD commit in the cache,
        and only the ledger's approvals are matched afresh. A read that missed revisions (git failed, a
        partial clone) is not kept: the next run reads again."""
        if not current:
            return {}
        cached = self.cache.extra("policy_history") if self.cache is not None else None
        found = policy_history.revisions(self.root, policies.front_matter_digest, cached)
        if found is not None and found.complete and self.cache is not None:
            self.cache.set_extra("policy_history", found.table())
        return policy_history.approved(found, current, ledger.approved_digests(self.root))

    def watches(self, controls: tuple[Control, ...], today: dt.date) -> tuple[dict[str, WatchFact], str | None]:
        """What git says of the files controls watch, and why nothing could be judged (None: judged, or
        no control watches anything). Kept in the cache by HEAD commit, day and the watches' specs."""
        watched = [w for c in controls for w in c.watches]
        if not watched:
            return {}, None
        cached = self.cache.extra("watch_history") if self.cache is not None else None
        found, unknown, table = watch_history.facts(self.root, watched, cached, today)
        if table is not None and self.cache is not None:
            self.cache.set_extra("watch_history", table)
        return found, unknown

    def page(self, rel: str, kind: str) -> tuple[Page, Document | None]:
        """A Markdown file with front matter, and its front matter's document when it is usable."""
        try:
            page = parse_page(rel, (self.root / rel).read_bytes())
        except OSError as exc:
            self.problems.append(Location(rel).error("io", f"cannot read the file: {exc.strerror}"))
            self.incomplete.add(kind)
            return Page(Parsed(None, ()), "", 1), None
        self.problems.extend(page.parsed.diagnostics)
        document = page.parsed.document
        problems = messages.check(document, kind) if document is not None else []
        self.problems.extend(problems)
        if document is not None and not problems:
            return page, document
        self.incomplete.add(kind)
        salvaged = document.data.get("id") if document is not None and isinstance(document.data, dict) else None
        if isinstance(salvaged, str):
            self.broken.add((kind, salvaged))
        return page, None


def _pinned_paths(records: Iterable[Any]) -> set[str]:
    """Paths (from the repository root) of the files that records pin, whatever else is wrong with them."""
    pinned = set()
    for data in records:
        files = data.get("files") if isinstance(data, dict) else None
        for entry in files if isinstance(files, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                pinned.add(posixpath.normpath(f"evidence/{entry['path']}"))
    return pinned


# Shipped catalogs by name and digest, with their data: each is built once per process.
_SHIPPED: dict[str, tuple[Any, Catalog]] = {}


def _kept_data(kept: Any) -> Any:
    """A shipped catalog's data as the cache kept it, if the cache still holds it whole (a damaged or
    edited entry no longer matches its digest, and the catalog is parsed from the package again)."""
    if not isinstance(kept, dict) or not isinstance(kept.get("data"), dict):
        return None
    return kept["data"] if kept.get("sha256") == _data_digest(kept["data"]) else None


def _data_digest(data: Any) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")
    ).hexdigest()


def _parsed_shipped(name: str, raw: bytes) -> Any:
    """Shipped catalogs are tested to be valid."""
    parsed = parse_bytes(f"{name}.yaml", raw)
    assert parsed.document is not None and not parsed.diagnostics, parsed.diagnostics
    return parsed.document.data
