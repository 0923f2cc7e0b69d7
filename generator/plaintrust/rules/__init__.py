"""Semantic rules: one module each, with an `ID`, a docstring that is its documentation,
`READS_FILES` and `check(model) -> Iterable[Diagnostic]`. They read the model only; `READS_FILES`
says whether a rule may still make a cached document read its file again, for a position, when it
reports nothing. `ALL` keeps their order (the reference, SARIF); `BY_ID` finds one by its id.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType, ModuleType

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.rules import (
    _ahead,
    access_unreachable,
    answer_conflict,
    answer_link,
    answer_ref,
    answer_review_overdue,
    answer_unsupported,
    audit_period,
    catalog_parent,
    certification_expiry,
    certification_gaps,
    collect_cadence,
    collect_duplicate,
    collect_limit,
    collect_options,
    collect_unknown,
    control_drift,
    control_without_evidence,
    date_future,
    date_range,
    duplicate_id,
    evidence_file_missing,
    evidence_path_outside,
    evidence_tampered,
    evidence_unpinned,
    evidence_unused,
    not_applicable_unjustified,
    output_clash,
    page_clash,
    page_title,
    policy_changed,
    policy_history,
    policy_markup,
    policy_missing,
    policy_readability,
    policy_review_overdue,
    public_incomplete,
    public_markup,
    readability,
    refresh_outlasts_frequency,
    refresh_too_long,
    remediation_missing,
    remediation_overdue,
    restore_test_control,
    satisfied_and_not_applicable,
    scope_unjustified,
    site_file_missing,
    site_layout,
    site_markup,
    site_plugin,
    site_url,
    subprocessor_notice,
    unknown_category,
    unknown_evidence,
    unknown_framework,
    unknown_requirement,
    unknown_scope_group,
    update_next_update,
    update_sections,
    update_timeline,
    watch_anchor,
)

ALL: tuple[ModuleType, ...] = (
    duplicate_id,
    catalog_parent,
    audit_period,
    unknown_framework,
    unknown_requirement,
    unknown_scope_group,
    scope_unjustified,
    satisfied_and_not_applicable,
    not_applicable_unjustified,
    unknown_evidence,
    evidence_file_missing,
    evidence_path_outside,
    evidence_tampered,
    evidence_unpinned,
    evidence_unused,
    refresh_too_long,
    refresh_outlasts_frequency,
    collect_unknown,
    collect_options,
    collect_limit,
    collect_duplicate,
    collect_cadence,
    control_without_evidence,
    control_drift,
    watch_anchor,
    remediation_missing,
    remediation_overdue,
    date_future,
    date_range,
    subprocessor_notice,
    public_incomplete,
    unknown_category,
    readability,
    site_file_missing,
    access_unreachable,
    site_plugin,
    site_url,
    site_layout,
    page_clash,
    page_title,
    output_clash,
    site_markup,
    public_markup,
    certification_expiry,
    restore_test_control,
    certification_gaps,
    update_sections,
    update_timeline,
    update_next_update,
    policy_missing,
    policy_review_overdue,
    policy_changed,
    policy_readability,
    policy_markup,
    policy_history,
    answer_link,
    answer_ref,
    answer_conflict,
    answer_unsupported,
    answer_review_overdue,
)

BY_ID: Mapping[str, ModuleType] = MappingProxyType({rule.ID: rule for rule in ALL})
assert len(BY_ID) == len(ALL), "two rules share an id"
assert all(isinstance(getattr(rule, "READS_FILES", None), bool) for rule in ALL), "a rule does not declare READS_FILES"


def prepare(model: Model) -> None:
    """Start what the slow rules need of `model` in a worker, while the caller does other work."""
    _ahead.start(model)


def check_all(model: Model) -> list[Diagnostic]:
    _ahead.collect()
    found: list[Diagnostic] = []
    for rule in ALL:
        found.extend(rule.check(model))
    return found


# Problems found while reading a file, before any semantic rule runs.
READING: dict[str, str] = {
    "io": "A file could not be read or written.",
    "missing-file": "controls/program.yaml or site/trust.yaml does not exist.",
    "duplicate-file": "Both program.yaml and program.yml (or trust.yaml and trust.yml) exist; the .yml one is ignored.",
    "yaml-encoding": "The file is not UTF-8; the position is the first byte that is not.",
    "yaml-empty": "The file is empty or holds only comments.",
    "yaml-syntax": "The YAML does not parse (or holds more than one document).",
    "yaml-tab": "A tab where YAML needs spaces (indentation).",
    "yaml-duplicate-key": "A key appears twice in one mapping; YAML would silently keep the last.",
    "yaml-alias": "An alias is undefined, refers to a value containing it, or expands past 10,000 values (alias bomb).",
    "yaml-depth": "Values nest deeper than 64 levels.",
    "yaml-key": "A mapping key is a list or mapping instead of plain text.",
    "yaml-merge-key": "A merge key (<<): write the fields out instead.",
    "yaml-tag": "A custom YAML tag such as !foo.",
    "control-character": "A text holds an invisible control character, written as an escape such as \\x01.",
    "front-matter": "A security notice does not start with YAML front matter between '---' lines.",
    "schema": "The file does not match its JSON Schema: a missing or unknown field, a wrong type or value.",
    "date-invalid": "A date or timestamp that does not parse (YYYY-MM-DD; RFC 3339 with a time zone).",
    "unknown-catalog": "program.yaml names a catalog that is neither shipped nor a file in the repository.",
    "settings": "The plaintrust plugin's options in mkdocs.yml are not valid (or, as a warning, one is not an option of the plugin).",
    "site-symlink": "A symbolic link under site/ (or site/ itself is one): everything there is published, so none is followed.",
    "symlink-outside": "A control, evidence record, policy, answer, program or catalog (or one of their folders) reached through a symbolic link that leaves the repository.",
    "symlink-folder": "A linked folder under controls/, evidence/, policies/ or answers/ (never followed; a linked top folder inside the repository is), or such a top folder linked to nothing or to a file; nothing in it is read.",
    "hard-link": "A file under site/ with more than one name (a hard link): it may be a host file.",
    "mount-point": "Another file system mounted under site/.",
    "not-a-file": "A named pipe, socket or device where a file is read (or anywhere under site/).",
    "file-name": "A file name that is not UTF-8 or holds a control character; the file is not read.",
    "update-stray": "A file under site/updates/ that is not a notice (site/updates/<name>.md).",
    "policy-stray": "A file under policies/ that is not a policy (policies/<name>.md, lowercase .md); it is not read.",
    "answer-stray": "A file under answers/ that is not an answer (answers/<name>.yaml or .yml, lowercase); it is not read.",
    "encoding": "A Markdown page under site/ is not UTF-8; the position is the first byte that is not.",
    "internal-value": "A public input (a file under site/, or a control's public title or summary) holds an internal value.",
    "evidence-copy": "A file under site/ (or a member of an archive there) is a byte copy of an evidence file.",
    "active-content": "An HTML file under site/ (published as it is), or an SVG image there that carries script.",
    "unreadable": "A published archive could not be read whole (nested more than 3 deep, or over 256 MiB unpacked).",
    "snippet-missing": "A page includes (pymdownx.snippets) a file that is not under the snippets' base_path.",
    "theme-clash": "Warning: a file under site/ has the path of one of the theme's files; one replaces the other.",
}


def documentation() -> list[tuple[str, str]]:
    """(rule id, first paragraph of its documentation), for SARIF and the README."""
    semantic = [(rule.ID, (rule.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")) for rule in ALL]
    return [*READING.items(), *semantic]


def reference() -> list[tuple[str, str]]:
    """(rule id, its whole docstring, Markdown) for each semantic rule in `ALL`'s order: the docs
    site's rules reference. The first line is one sentence, what `documentation()` gives; a
    paragraph starting "Severity:" says whether it is an error or a warning."""
    return [(rule.ID, (rule.__doc__ or "").strip()) for rule in ALL]
