"""`plaintrust policies pdf`: each policy as a PDF file, and all of them in one bundle.

The internal variant holds every policy, drafts included, with its owner and approver. The public
variant holds only the approved policies the trust center publishes (full text, or summary only),
never an owner or an approver, and is judged by the same leak guard as the built site before it
replaces anything. Either way the folder is written beside its final place and swapped in whole,
so a failed run leaves the previous PDFs as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from plaintrust import output, policies
from plaintrust.diagnostics import Diagnostic, Location, finalize
from plaintrust.internal.policypdf import ORGANIZATION_FILE, Sheet, bundle_pdf, policy_pdf
from plaintrust.model import Model, Policy
from plaintrust.pipeline import Result
from plaintrust.policies import PolicyState
from plaintrust.public.guard import tree
from plaintrust.public.view import policy_state_words

BUNDLE = "policies.pdf"
SHOWN_FIELDS = ("title", "version", "change", "summary", "approved_by", "owner")  # front matter a PDF shows


@dataclass(frozen=True)
class Written:
    """What `write` did: the files swapped into `folder`, or (folder None) why nothing was."""

    folder: Path | None
    files: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()  # a character the font lacks, a text that cannot be laid out
    leaks: tuple[str, ...] = ()  # the public variant held internal data


def write(result: Result, folder: Path, *, public: bool, font: Path | None, moment: dt.datetime) -> Written:
    """The PDFs of `result`'s policies into `folder`: `<id>.pdf` each, and the bundle."""
    model = result.model
    named = (organization(model), organization_at(model))
    rendered, problems = render(sheets(model, public), named, moment, font, compress=not public)
    if problems:
        return Written(None, diagnostics=tuple(finalize(problems)))
    staging = output.staging_for(folder)
    try:
        for name, data in rendered.items():
            output.write_file(staging / name, data)
        leaks = [str(leak) for leak in tree.scan(staging, model, result.ordinary)] if public else []
        if leaks:
            output.discard(staging)
            return Written(None, leaks=tuple(leaks))
        output.swap_in(staging, folder)
    except BaseException:
        output.discard(staging)
        raise
    return Written(folder, tuple(rendered))


def foreign(folder: Path) -> str | None:
    """The first entry of `folder` that this command would not have written there: the folder is
    replaced as a whole, so one holding anything but PDFs is not an output of ours (a typo, `.`,
    the repository). None when it is absent or holds only PDF files."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return f"{folder} is not a folder"
    try:
        entries = sorted(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):  # to be created (or not, with the error that says why)
        return None
    except OSError as exc:
        return f"{folder} cannot be read ({exc.strerror})"
    odd = [e for e in entries if e.is_symlink() or not e.is_file() or e.suffix != ".pdf"]
    return f"{folder} holds {odd[0].name}, which is not a PDF" if odd else None


def render(
    chosen: Sequence[Sheet], named: tuple[str, Location], moment: dt.datetime, font: Path | None, compress: bool
) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """File name -> bytes; the bundle only when every policy could be rendered (its problems would repeat theirs).
    `named`: the organisation's name and where it was written."""
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    organization, where = named
    for sheet in chosen:
        data, found = policy_pdf(sheet, organization, moment, font, compress, organization_at=where)
        problems += found
        if data is not None:
            files[f"{sheet.id}.pdf"] = data
    if chosen and not problems:
        data, problems = bundle_pdf(chosen, organization, moment, font, compress, organization_at=where)
        if data is not None:
            files[BUNDLE] = data
    return files, problems


def sheets(model: Model, public: bool) -> list[Sheet]:
    """One sheet per policy, by title as the trust center lists them; the public variant only for
    the policies the trust center publishes."""
    chosen = sorted(model.policies, key=lambda p: (p.title.casefold(), p.id, p.source.path))
    if public:
        chosen = [p for p in chosen if policies.published(p)]
    return [sheet(p, model, public) for p in chosen]


def sheet(policy: Policy, model: Model, public: bool) -> Sheet:
    """What one PDF shows. Public: no owner nor approver, and no text beyond the summary when the
    policy publishes only its summary."""
    return Sheet(
        id=policy.id,
        title=policy.title,
        version=policy.version,
        effective=policy.effective,
        state_words=state_words(policy, model),
        approved_by=None if public else policy.approved_by,
        approved_on=policy.approved_on,
        next_review=policy.next_review,
        owner=None if public else policy.owner,
        summary=policy.summary,
        body="" if public and policy.public == "summary" else policy.body,
        body_line=policy.body_line,
        path=policy.source.path,
        change=policy.change,
        at={name: policy.source.at(name) for name in SHOWN_FIELDS},
    )


def state_words(policy: Policy, model: Model) -> str:
    """The policy's state in the trust center's words; a draft, which it never shows, says so."""
    state = policies.state(policy, model)
    if state is PolicyState.DRAFT:
        return "Draft: not approved"
    return policy_state_words(policy, model)


def organization(model: Model) -> str:
    """The name the trust center shows (trust.yaml), else program.yaml's."""
    if model.trust is not None:
        return model.trust.organization
    return model.program.organization if model.program is not None else ""


def organization_at(model: Model) -> Location:
    """Where `organization` was written: site/trust.yaml's field, else controls/program.yaml's."""
    if model.trust is not None:
        return model.trust.source.at("organization")
    return model.program.source.at("organization") if model.program is not None else Location(ORGANIZATION_FILE)
