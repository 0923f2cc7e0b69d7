"""Model -> PublicView: the only thing the trust center is rendered from.

This is the allow-list. A field reaches the site only if a line below copies it into a view object;
everything else in the model (owners, descriptions, evidence, program details, control titles and
ids) stays behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Container
from dataclasses import dataclass

from markupsafe import Markup

from plaintrust import answers, notices, policies
from plaintrust.boundary.pagenames import FAQ, category_page, policy_page, slug
from plaintrust.boundary.safe_text import block, block_lines, document, inline, plain_text, safe_url
from plaintrust.currency import Standing, standing
from plaintrust.model import (
    Answer,
    Category,
    Certification,
    Control,
    Integrity,
    LedgerHead,
    Model,
    Notice,
    Policy,
    PublicDocument,
    Status,
    Subprocessor,
    TrustProfile,
)
from plaintrust.status import PublicStatus, evidence_health, evidence_problem, public_status
from plaintrust.words import day_words


@dataclass(frozen=True)
class Practice:
    title: str | None
    summary: Markup
    summary_text: str  # the summary without its Markdown, for trust.json and feeds
    status: PublicStatus
    last_verified: dt.date | None
    anchor: str | None = None  # id of its heading: a link target and a search result of its own
    evidence_problem: str | None = None  # why an implemented practice is not verified, in plain words
    overdue_since: dt.date | None = None


@dataclass(frozen=True)
class CategoryView:
    id: str
    title: str
    description: str
    practices: tuple[Practice, ...]

    @property
    def implemented(self) -> int:
        return sum(1 for p in self.practices if p.status is PublicStatus.IMPLEMENTED)

    @property
    def page(self) -> str:
        return category_page(self.id)


@dataclass(frozen=True)
class Badge:
    label: str
    tone: str  # ok | warn | bad | info


@dataclass(frozen=True)
class BridgeLetterView:
    through: dt.date
    file: str | None
    request_url: str | None


@dataclass(frozen=True)
class CertificationView:
    kind: str
    auditor: str
    period: tuple[dt.date, dt.date] | None
    issued: dt.date | None
    expires: dt.date | None
    certificate_number: str | None
    report: str | None  # public | on-request | nda; None while the audit is in progress
    request_url: str | None
    file: str | None
    badge: Badge | None  # None: no dates were published, so no badge
    status: Standing | None = None  # what the badge says, for trust.json
    report_date: dt.date | None = None
    bridge_letter: BridgeLetterView | None = None
    next_report_expected: dt.date | None = None  # a month (its first day)
    expected: dt.date | None = None  # in progress: the month the report is expected
    started: dt.date | None = None  # in progress: the day the audit began, when trust.yaml says
    last_surveillance: dt.date | None = None


@dataclass(frozen=True)
class DocumentView:
    title: str
    description: str
    access: str
    request_url: str | None
    file: str | None


@dataclass(frozen=True)
class NoticeView:
    slug: str
    title: str
    status: str
    severity: str
    published: dt.datetime
    updated: dt.datetime
    next_update_by: dt.datetime | None
    affected: str
    sections: tuple[tuple[str, Markup], ...]  # (heading, HTML), in the canonical order, then the rest
    timeline: tuple[tuple[dt.datetime | None, Markup], ...]
    overdue_since: dt.datetime | None = None  # an open notice whose promised update has not come

    @property
    def promised_next(self) -> dt.datetime | None:
        """The next update still promised: a time before the last update was a promise kept."""
        due = self.next_update_by
        return due if self.is_open and due is not None and due > self.updated else None

    @property
    def feed_updated(self) -> dt.datetime:
        """When the entry last changed for a reader: a missed promise is news too."""
        return max(self.updated, self.overdue_since) if self.overdue_since else self.updated

    @property
    def page(self) -> str:
        return f"updates/{self.slug}.md"

    @property
    def is_open(self) -> bool:
        return self.status != "resolved"


@dataclass(frozen=True)
class SubprocessorView:
    """One subprocessor as customers see it, on the build day (`PublicView.today`). Every field is
    from site/trust.yaml, public by definition; `url` and `objection_contact` are mailto:, https: or
    None, never another scheme."""

    name: str
    purpose: str
    location: str
    data: str
    url: str | None
    added: dt.date  # the day the addition was announced
    removed: dt.date | None
    effective: dt.date  # the day it starts processing customer data (`added` unless trust.yaml says otherwise)
    # The last day customers may object to the addition: the notice runs the `subprocessor_notice_days`
    # days after `added`. None when trust.yaml promises no notice period, or the addition started
    # before its notice would have run out (one listed before the promise): it had no objection period.
    objections_until: dt.date | None
    objection_contact: str | None  # where objections go: set exactly when objections_until is
    planned: bool  # announced, not started on the build day (effective after it), and not removed by then
    objections_open: bool  # planned, and the build day is on or before objections_until


@dataclass(frozen=True)
class SubprocessorChange:
    day: dt.date  # an addition: the day it was announced (`added`), so its entry never moves; a removal: `removed`
    change: str  # added | removed
    subprocessor: SubprocessorView


@dataclass(frozen=True)
class PolicyVersionView:
    """One line of a policy's change history."""

    version: str
    effective: dt.date
    change: Markup  # the `change` line as HTML ('' when none was written, or when it is withheld)
    withheld: bool = False  # its line from git held markup or an internal value: it is not shown


@dataclass(frozen=True)
class PublicPolicy:
    """A published policy: never its owner nor who approved it (they are not even carried here)."""

    id: str
    title: str
    version: str
    effective: dt.date
    approved_on: dt.date  # the day only: the approval's time and the approver stay behind
    next_review: dt.date | None
    overdue_since: dt.date | None  # set only when its review is overdue
    state: policies.PolicyState
    state_words: str  # the state as customers read it
    summary: Markup  # '' when none was written
    text: Markup | None  # the full text as HTML, for `public: full` only
    history: tuple[PolicyVersionView, ...]  # this version first, then the earlier ones

    @property
    def page(self) -> str:
        return policy_page(self.id)


@dataclass(frozen=True)
class LedgerPoint:
    """A published head of the evidence ledger: its first `entries` lines, the last hashing to `head`."""

    entries: int
    head: str
    as_of: dt.date


@dataclass(frozen=True)
class RestoreTest:
    """When backups were last restored in a test, from the evidence of the control that does it."""

    last: dt.date | None  # the last day its newest intact, pinned evidence proves; None: none on record
    frequency: str  # the control's: how often the test runs
    overdue_since: dt.date | None


@dataclass(frozen=True)
class ResilienceView:
    rto: str | None  # as written in trust.yaml, e.g. 4h
    rpo: str | None
    status_page: str | None
    restore_test: RestoreTest | None


@dataclass(frozen=True)
class AnswerPractice:
    """A practice an answer rests on, as its category page shows it: never the control behind it."""

    title: str  # the practice's public title, else its category's
    status: PublicStatus
    page: str  # the category page
    anchor: str | None  # the practice's heading there (None: it has no title)


@dataclass(frozen=True)
class PublicAnswer:
    """A public answer, field by field: never its id, its controls' ids or titles, its refs, nor a
    policy that is not published."""

    anchor: str  # its heading's id on the FAQ page: from the question, unique there
    question: str  # plain text
    answer: str  # yes | no | partial | n/a
    answer_words: str  # Yes | No | Partly | Not applicable
    explanation: Markup  # its headings nested under the question's (see `nested`)
    explanation_text: str  # the explanation without its Markdown, a line per block, for trust.json
    reviewed_on: dt.date
    review_overdue_since: dt.date | None  # the day its review fell due (answers.review_due), once that day has come
    practices: tuple[AnswerPractice, ...]  # its linked controls that are practices on the site
    policies: tuple[PublicPolicy, ...]  # its linked policies that are published
    # What it rests on backs it today (plaintrust.answers.support) and its review is not overdue:
    # `holds` as the exports and a filled questionnaire's report say it.
    holds: bool
    caveat: str | None  # why what it rests on does not back it, in customers' words; None when it does


@dataclass(frozen=True)
class FaqView:
    """The security FAQ: public answers in full, nda ones by their question alone."""

    answers: tuple[PublicAnswer, ...]  # in path order of answers/
    on_request: tuple[str, ...]  # the questions of nda answers, plain text, in path order
    request_url: str | None  # where to ask for the answers to those

    @property
    def page(self) -> str:
        return FAQ


@dataclass(frozen=True)
class PublicView:
    organization: str
    tagline: str
    security_contact: str
    security_policy: str | None
    preferred_languages: tuple[str, ...]
    logo: str | None
    color: str | None
    categories: tuple[CategoryView, ...]
    certifications: tuple[CertificationView, ...]
    documents: tuple[DocumentView, ...]
    subprocessors: tuple[SubprocessorView, ...]  # as trust.yaml lists them
    notices: tuple[NoticeView, ...]  # newest first
    today: dt.date
    evidence_log: tuple[LedgerPoint, ...] = ()  # the ledger's head at the end of each day with pins, oldest first
    resilience: ResilienceView | None = None
    policies: tuple[PublicPolicy, ...] = ()  # by title
    faq: FaqView | None = None  # None: answers/ holds no public or nda answer, so there is no FAQ page
    subprocessor_notice_days: int | None = None  # the notice promised before a new subprocessor starts; None: none
    subscribe_url: str | None = None  # "Get these by email": https: or mailto: only; None: no link

    @property
    def evidence_ledger(self) -> LedgerPoint | None:
        return self.evidence_log[-1] if self.evidence_log else None

    @property
    def current_subprocessors(self) -> tuple[SubprocessorView, ...]:
        return tuple(
            s for s in self.subprocessors if s.effective <= self.today and not (s.removed and s.removed <= self.today)
        )

    @property
    def planned_subprocessors(self) -> tuple[SubprocessorView, ...]:
        """Announced additions that have not started yet, soonest start first."""
        return tuple(sorted((s for s in self.subprocessors if s.planned), key=lambda s: (s.effective, s.name)))

    @property
    def subprocessor_changes(self) -> tuple[SubprocessorChange, ...]:
        """Every addition and removal that has happened, newest first (announced ones included)."""
        changes = [SubprocessorChange(s.added, "added", s) for s in self.subprocessors]
        changes += [SubprocessorChange(s.removed, "removed", s) for s in self.subprocessors if s.removed]
        return tuple(sorted(changes, key=lambda c: (c.day, c.change, c.subprocessor.name), reverse=True))

    @property
    def practice_count(self) -> int:
        return sum(len(c.practices) for c in self.categories)

    @property
    def implemented_count(self) -> int:
        return sum(c.implemented for c in self.categories)


def build(model: Model) -> PublicView:
    """The public view of a model whose trust profile loaded (the pipeline guarantees it before a build)."""
    trust = model.trust
    assert trust is not None, "the site is built only from a repository whose site/trust.yaml is valid"
    categories, places = _categories(model, trust.categories)
    shown_policies = public_policies(model)
    return PublicView(
        organization=trust.organization,
        tagline=trust.tagline,
        security_contact=trust.security_contact,
        security_policy=trust.security_policy,
        preferred_languages=trust.preferred_languages,
        logo=trust.logo,
        color=trust.color,
        categories=categories,
        certifications=tuple(certification(c, model.today) for c in trust.certifications),
        documents=tuple(_document(d) for d in trust.documents),
        subprocessors=tuple(subprocessor(s, trust, model.today) for s in trust.subprocessors),
        notices=tuple(
            notice_view(n, model.moment)
            for n in sorted(model.notices, key=lambda n: (n.published, n.slug), reverse=True)
        ),
        today=model.today,
        evidence_log=ledger_heads(model.ledger),
        resilience=resilience(model),
        policies=shown_policies,
        faq=faq(model, places, shown_policies),
        subprocessor_notice_days=trust.subprocessor_notice_days,
        subscribe_url=_url(trust.subscribe_url),
    )


def ledger_heads(ledger: LedgerHead | None) -> tuple[LedgerPoint, ...]:
    """Counts, days and hashes of ledger lines only: never a file, record or file hash the ledger names."""
    if ledger is None:
        return ()
    return tuple(LedgerPoint(day.entries, day.head, day.as_of) for day in ledger.days if day.as_of)


# Where each control that is a practice on the site is shown: control id -> (its category, the
# practice). Kept beside the view, never in it: the FAQ links a practice without naming its control.
Places = dict[str, tuple[CategoryView, Practice]]


def _categories(model: Model, categories: tuple[Category, ...]) -> tuple[tuple[CategoryView, ...], Places]:
    """The categories with practices, in trust.yaml's order (their practices by control id), and
    where each practice is shown."""
    grouped: dict[str, list[tuple[str, Practice]]] = {c.id: [] for c in categories}
    for control in sorted(model.controls, key=lambda c: c.id):
        public = control.public
        if public and public.category in grouped and (public.summary or "").strip():
            grouped[public.category].append((control.id, _practice(model, control)))
    views, places = [], {}
    for c in categories:
        if grouped[c.id]:
            view = CategoryView(c.id, c.title, c.description, _anchored([p for _, p in grouped[c.id]]))
            places.update({cid: (view, p) for (cid, _), p in zip(grouped[c.id], view.practices, strict=True)})
            views.append(view)
    return tuple(views), places


def _practice(model: Model, control: Control) -> Practice:
    assert control.public is not None and control.public.summary is not None, "only a control with a summary"
    summary, health = control.public.summary, evidence_health(model, control)
    return Practice(
        title=control.public.title,
        summary=inline(summary.strip()),
        summary_text=plain_text(summary),
        status=public_status(control, health),
        last_verified=health.last_verified,
        evidence_problem=evidence_problem(health) if control.status is Status.IMPLEMENTED else None,
        overdue_since=health.overdue_since,
    )


def _anchored(practices: list[Practice]) -> tuple[Practice, ...]:
    taken: set[str] = set()
    return tuple(dataclasses.replace(p, anchor=_anchor(p.title or "", taken)) for p in practices)


def _anchor(text: str, taken: set[str], fallback: str | None = None) -> str | None:
    """A stable id from `text` (its slug, else `fallback`), made unique among `taken` with -2, -3 ...
    and added to it; None when there is neither."""
    base = slug(text) or fallback
    if not base:
        return None
    candidates = (f"{base}-{n}" if n > 1 else base for n in range(1, len(taken) + 2))
    anchor = next(c for c in candidates if c not in taken)
    taken.add(anchor)
    return anchor


def notice_view(notice: Notice, now: dt.datetime) -> NoticeView:
    ordered = sorted(notice.sections, key=lambda s: _section_rank(s.key, notice.is_open))
    timeline_section = notices.find(notice.sections, "Timeline")
    entries = notices.timeline(timeline_section) if timeline_section else ()
    return NoticeView(
        slug=notice.slug,
        title=notice.title,
        status=notice.status,
        severity=notice.severity,
        published=notice.published,
        updated=notice.updated,
        next_update_by=notice.next_update_by,
        affected=notice.affected,
        sections=tuple((s.title, block(s.text)) for s in ordered if s.key != notices.key("Timeline")),
        timeline=tuple((e.when, inline(e.text, relative=True)) for e in entries),
        overdue_since=notice.overdue_since(now),
    )


def _section_rank(section_key: str, is_open: bool) -> int:
    """Canonical order; a resolved notice leads with its resolution."""
    if not is_open and section_key == notices.key(notices.RESOLUTION):
        return -1
    order = [notices.key(t) for t in notices.ORDER]
    return order.index(section_key) if section_key in order else len(order)


def certification(cert: Certification, today: dt.date) -> CertificationView:
    letter = cert.bridge_letter
    status = standing(cert, today)
    return CertificationView(
        kind=cert.kind,
        auditor=cert.auditor,
        period=(cert.period.start, cert.period.end) if cert.period else None,
        issued=cert.issued,
        expires=cert.expires,
        certificate_number=cert.certificate_number,
        report=cert.report,
        request_url=_url(cert.request_url),
        file=cert.file,
        badge=badge(status),
        status=status,
        report_date=cert.report_date,
        bridge_letter=BridgeLetterView(letter.through, letter.file, _url(letter.request_url)) if letter else None,
        next_report_expected=cert.next_report_expected,
        expected=cert.expected,
        started=cert.started,
        last_surveillance=cert.last_surveillance,
    )


BADGES = {
    Standing.CURRENT: Badge("Current", "ok"),
    Standing.VALID: Badge("Valid", "ok"),
    Standing.OUT_OF_DATE: Badge("Out of date", "warn"),
    Standing.RENEWAL_DUE: Badge("Renewal due", "warn"),
    Standing.EXPIRED: Badge("Expired", "bad"),
    Standing.IN_PROGRESS: Badge("Audit in progress", "info"),
    Standing.ISSUED: Badge("Issued", "info"),
}


def badge(status: Standing | None) -> Badge | None:
    """Derived from the dates alone (plaintrust.currency); None when no dates are published."""
    return BADGES[status] if status else None


def resilience(model: Model) -> ResilienceView | None:
    """trust.yaml's recovery objectives, and the restore test's dates from evidence: never its control."""
    given = model.trust.resilience if model.trust else None
    if given is None:
        return None
    control = model.controls_by_id.get(given.restore_control or "")
    return ResilienceView(
        given.rto, given.rpo, _url(given.status_page), _restore_test(model, control) if control else None
    )


def _restore_test(model: Model, control: Control) -> RestoreTest:
    health = evidence_health(model, control)
    if control.status is not Status.IMPLEMENTED or (not health.proven and not health.overdue_since):
        return RestoreTest(None, control.frequency, None)
    intact = [r for r in health.pacing if r.integrity is Integrity.OK and r not in health.unpinned]
    last = max((r.proves.end for r in intact), default=None)
    return RestoreTest(last, control.frequency, health.overdue_since if last else None)


def public_policies(model: Model) -> tuple[PublicPolicy, ...]:
    """The approved policies whose `public` is full or summary, by title."""
    shown = [p for p in model.policies if policies.published(p)]
    return tuple(public_policy(p, model) for p in sorted(shown, key=lambda p: (p.title.casefold(), p.id)))


def public_policy(policy: Policy, model: Model) -> PublicPolicy:
    """Field by field, the allow-list of a policy: owner and approver are never read here."""
    assert policy.approved_on is not None, "only approved policies are published"
    state = policies.state(policy, model)
    overdue = policies.overdue_from(policy) if state is policies.PolicyState.OVERDUE else None
    return PublicPolicy(
        id=policy.id,
        title=policy.title,
        version=policy.version,
        effective=policy.effective,
        approved_on=policy.approved_on,
        next_review=policy.next_review if policy.next_review != dt.date.max else None,
        overdue_since=overdue,
        state=state,
        state_words=policy_state_words(policy, model),
        summary=block(policy.summary) if policy.summary.strip() else Markup(""),
        text=document(policy.body) if policy.public == "full" else None,
        history=_policy_history(policy, model),
    )


def _policy_history(policy: Policy, model: Model) -> tuple[PolicyVersionView, ...]:
    """This version, then the earlier approved ones git holds, newest first. An earlier line that
    `check` found markup or an internal value in is left out: no edit could ever fix it."""
    rows = [PolicyVersionView(policy.version, policy.effective, _change(policy.change))]
    for earlier in policy.history:
        withheld = (policy.id, earlier.version) in model.withheld_changes
        change = Markup("") if withheld else _change(earlier.change)
        rows.append(PolicyVersionView(earlier.version, earlier.effective, change, withheld))
    return tuple(rows)


def _change(line: str) -> Markup:
    return inline(line) if line.strip() else Markup("")


def policy_state_words(policy: Policy, model: Model) -> str:
    """The state as customers read it, on the site and in the public PDFs; dates in words."""
    state = policies.state(policy, model)
    if state is policies.PolicyState.UPCOMING:
        return f"Takes effect on {day_words(policy.effective)}"
    if state is policies.PolicyState.OVERDUE and policy.next_review is not None:
        return f"Review overdue: it was due on {day_words(policy.next_review)}"
    if state is policies.PolicyState.CHANGED and model.approvals.get(policy.id) is None:
        return "Approval not on record"  # approved_on is set, but the ledger never recorded it
    return POLICY_STATES[state]


POLICY_STATES = {
    policies.PolicyState.CURRENT: "Current",
    policies.PolicyState.UPCOMING: "Takes effect later",  # with its date: see policy_state_words
    policies.PolicyState.DUE: "Review due",
    policies.PolicyState.OVERDUE: "Review overdue",
    policies.PolicyState.CHANGED: "Being revised: the text changed after its last approval",
    policies.PolicyState.DRAFT: "Draft",  # never published: a draft has no page
}


ANSWER_WORDS = {"yes": "Yes", "no": "No", "partial": "Partly", "n/a": "Not applicable"}
ON_REQUEST = "on-request"  # the id of the FAQ's "Answered on request" heading: no answer takes it


def faq(model: Model, places: Places, shown: tuple[PublicPolicy, ...]) -> FaqView | None:
    """The FAQ from answers/, in path order; None when no answer may leave the company. Internal
    answers are never read here, nor anything of an nda answer but its question."""
    given = answers.shared(model.answers)
    if not given or model.trust is None:
        return None
    taken = {ON_REQUEST}
    published = {p.id: p for p in shown}
    return FaqView(
        answers=tuple(public_answer(a, model, places, published, taken) for a in given if a.visibility == "public"),
        on_request=tuple(a.question.strip() for a in given if a.visibility == "nda"),
        request_url=request_url(model.trust),
    )


def public_answer(
    answer: Answer, model: Model, places: Places, published: dict[str, PublicPolicy], taken: set[str]
) -> PublicAnswer:
    """Field by field, the allow-list of a public answer; `taken`: the anchors already on the page."""
    found = answers.support(answer, model)
    anchor = _anchor(answer.question, taken, fallback="question")
    assert anchor is not None, "a fallback always gives an anchor"
    overdue = answers.review_overdue(answer, model)
    # Exports carry the same text, where a relative link leads nowhere: `public-markup` refuses one.
    explanation = block(answer.explanation, relative=False) if answer.explanation.strip() else Markup("")
    return PublicAnswer(
        anchor=anchor,
        question=answer.question.strip(),
        answer=answer.answer,
        answer_words=ANSWER_WORDS[answer.answer],
        explanation=nested(explanation),
        explanation_text=block_lines(answer.explanation),
        reviewed_on=answer.reviewed_on,
        review_overdue_since=answers.review_due(answer, model) if overdue else None,
        practices=tuple(_answer_practice(*places[c]) for c in dict.fromkeys(answer.controls) if c in places),
        policies=tuple(published[p] for p in dict.fromkeys(answer.policies) if p in published),
        holds=found.supported and not overdue,
        caveat=None if found.supported else caveat(found, places, published),
    )


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")  # as the cleaner writes them: no attributes


def nested(html: Markup) -> Markup:
    """An explanation's headings under its question's h2: the first becomes an h3, and none is more
    than one level below the heading it follows, so the page's outline never skips a level, however
    the explanation numbers its own (h6 at most)."""
    under: list[tuple[int, int]] = []  # (level written, level shown) of the headings the next one may sit under
    shown = 3

    def one(tag: re.Match[str]) -> str:
        nonlocal shown
        if tag[1]:  # a closing tag: headings never nest, so it closes the last one opened
            return f"</h{shown}>"
        written = int(tag[2])
        while under and under[-1][0] >= written:
            under.pop()
        shown = min(under[-1][1] + 1, 6) if under else 3
        under.append((written, shown))
        return f"<h{shown}>"

    return Markup(_HEADING_TAG.sub(one, str(html)))


def _answer_practice(category: CategoryView, practice: Practice) -> AnswerPractice:
    return AnswerPractice(practice.title or category.title, practice.status, category.page, practice.anchor)


# What customers read when what an answer rests on does not back it, by the worst state among what it
# rests on (rank, sentence): it never names a control or a policy, since not every one is on the site.
CAVEATS: dict[PublicStatus | policies.PolicyState, tuple[int, str]] = {
    PublicStatus.NOT_IN_PLACE: (3, "Not in place yet: part of what this answer rests on is missing today."),
    policies.PolicyState.DRAFT: (3, "Not in place yet: a policy this answer rests on is still a draft."),
    PublicStatus.IN_PROGRESS: (2, "Not fully in place yet: part of what this answer rests on is still in progress."),
    policies.PolicyState.UPCOMING: (2, "Not fully in place yet: a policy this answer rests on takes effect later."),
    PublicStatus.UNDER_REVIEW: (1, "Not yet verified: part of what this answer rests on has no current evidence."),
    policies.PolicyState.CHANGED: (1, "Not yet verified: a policy this answer rests on changed and awaits approval."),
    policies.PolicyState.OVERDUE: (1, "Not yet verified: a policy this answer rests on is overdue for review."),
}


NOT_LISTED = ", not listed here,"  # follows "rests on" when no badge on the page shows the cause


def caveat(found: answers.Support, practices: Container[str] = (), shown: Container[str] = ()) -> str:
    """The caveat of an answer `support` finds short: the worst linked state decides (one the page
    lists first, then a control's first when a policy's is as bad). `practices`, `shown`: the ids of
    the controls and policies the page lists with their badges. When none listed is in that state
    (the cause is a control that is no practice, or a policy that is not published), the caveat says
    the cause is not listed, without naming it."""
    linked: list[tuple[PublicStatus | policies.PolicyState, bool]] = [(s, c in practices) for c, s in found.controls]
    linked += [(state, p in shown) for p, state in found.policies]
    ranked = [(CAVEATS[state][0], listed, CAVEATS[state][1]) for state, listed in linked if state in CAVEATS]
    if not ranked:
        return "Not yet verified: part of what this answer rests on is not proven today."
    _rank, listed, sentence = max(ranked, key=lambda r: r[:2])
    return sentence if listed else sentence.replace(" rests on", " rests on" + NOT_LISTED, 1)


def request_url(trust: TrustProfile) -> str | None:
    """Where customers ask for the answers shared under NDA: trust.yaml's `nda_request_url`, else
    the first certification's or document's `request_url`, else the security contact."""
    given = [
        trust.nda_request_url,
        *(c.request_url for c in trust.certifications),
        *(d.request_url for d in trust.documents),
        trust.security_contact,
    ]
    return _url(next((u for u in given if u), ""))


def subprocessor(sub: Subprocessor, trust: TrustProfile, today: dt.date) -> SubprocessorView:
    # An addition that started inside its notice (listed before the site promised any) had no objection period.
    until = trust.objections_until(sub) if sub.starts >= trust.earliest_start(sub) else None
    planned = sub.starts > today and not (sub.removed and sub.removed <= today)
    return SubprocessorView(
        name=sub.name,
        purpose=sub.purpose,
        location=sub.location,
        data=sub.data,
        url=_url(sub.url),
        added=sub.added,
        removed=sub.removed,
        effective=sub.starts,
        objections_until=until,
        objection_contact=_url(trust.subprocessor_objections or trust.security_contact) if until else None,
        planned=planned,
        objections_open=planned and until is not None and today <= until,
    )


def _document(document: PublicDocument) -> DocumentView:
    return DocumentView(
        document.title, document.description, document.access, _url(document.request_url), document.file
    )


def _url(url: str | None) -> str | None:
    return safe_url(url) if url else None
