"""The feeds: a feed per topic and a combined one, each as Atom and as JSON Feed 1.1, and the
overview's "Stay informed" block that offers them.

Golden files: tests/golden/feeds/ holds every feed of the small trust center of `feed_site`;
after a deliberate change, rewrite them with
`.venv/bin/python -m pytest tests/site/test_feeds.py --update-golden` (or `make golden`) and read the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

import feed_site
import policy_site
from feed_site import BASE_URL, SUBSCRIBE, TOPICS, atom, build, feed_bytes, json_feed, lay_out
from helpers import BASE, EPOCH, TESTS, build_case, edit
from plaintrust import pipeline
from plaintrust.public import entries, feeds
from plaintrust.public import view as public

GOLDEN = TESTS / "golden" / "feeds"
JSON_FEED_SCHEMA = json.loads((TESTS / "data" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The feed site, built once on the pinned day."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        repo = lay_out(build_case(BASE, tmp_path_factory.mktemp("feeds") / "repo"))
        return build(CliRunner(), repo)


def moment(text: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, text
    return parsed


@pytest.mark.parametrize("topic", TOPICS)
def test_every_atom_feed_parses_without_errors(site: Path, topic: str) -> None:
    parsed = atom(site, topic)
    assert parsed.version == "atom10"
    assert parsed.feed.id == f"{BASE_URL}feeds/{topic}.xml"
    assert parsed.entries and len({e.id for e in parsed.entries}) == len(parsed.entries)
    for entry in parsed.entries:
        assert entry.id.startswith(BASE_URL) and entry.link.startswith(BASE_URL), entry.id
        assert entry.published_parsed and entry.updated_parsed and entry.summary, entry.id


@pytest.mark.parametrize("topic", TOPICS)
def test_every_json_feed_follows_json_feed_1_1(site: Path, topic: str) -> None:
    document = json_feed(site, topic)
    assert sorted(Draft202012Validator(JSON_FEED_SCHEMA).iter_errors(document), key=str) == []
    assert document["feed_url"] == f"{BASE_URL}feeds/{topic}.json"
    assert document["home_page_url"].startswith(BASE_URL)
    for item in document["items"]:
        assert {"id", "url", "title", "content_html", "content_text", "date_published", "date_modified"} <= set(item)
        assert item["url"].startswith(BASE_URL) and item["authors"] == [{"name": "Example Test Co"}]
        assert moment(item["date_published"]) <= moment(item["date_modified"]), item["id"]


@pytest.mark.parametrize("topic", TOPICS)
def test_atom_and_json_feed_carry_the_same_entries(site: Path, topic: str) -> None:
    from_atom = [(e.id, e.title, e.link, e.published, e.updated) for e in atom(site, topic).entries]
    items = json_feed(site, topic)["items"]
    assert from_atom == [(i["id"], i["title"], i["url"], i["date_published"], i["date_modified"]) for i in items]


def test_the_combined_feed_is_the_union_newest_first(site: Path) -> None:
    items = json_feed(site, "all")["items"]
    per_topic = [i["id"] for topic in TOPICS[:-1] for i in json_feed(site, topic)["items"]]
    assert sorted(i["id"] for i in items) == sorted(per_topic)
    assert {tag for i in items for tag in i["tags"]} == set(TOPICS[:-1])
    order = [(moment(i["date_modified"]), moment(i["date_published"]), i["id"]) for i in items]
    assert order == sorted(order, reverse=True)


def test_certification_news_says_each_state_plainly(site: Path) -> None:
    page = f"{BASE_URL}certifications/"
    found = [
        (i["id"].removeprefix(page), i["title"], i["date_modified"]) for i in json_feed(site, "certifications")["items"]
    ]
    assert found == [
        # the renewal window (60 days, as `check` warns) opened on 11 November, not on the build day
        ("#iso-iec-27001-2022-expiring-2027-01-10", "Renewal due: ISO/IEC 27001:2022", "2026-11-11T00:00:00Z"),
        ("#soc-2-type-i-late-2026-10", "Report late: SOC 2 Type I", "2026-11-01T00:00:00Z"),
        ("#soc-2-type-ii-lapsed-2026-09-30", "Out of date: SOC 2 Type II", "2026-10-01T00:00:00Z"),
        ("#soc-2-type-i-in-progress-2026-10", "Audit in progress: SOC 2 Type I", "2026-10-01T00:00:00Z"),
        (
            "#cloud-security-certificate-lapsed-2026-07-31",
            "Expired: Cloud security certificate",
            "2026-08-01T00:00:00Z",
        ),
        ("#soc-2-type-ii-report-2025-09-30", "New report: SOC 2 Type II", "2025-11-10T00:00:00Z"),
        (
            "#cloud-security-certificate-certificate-2025-08-01",
            "New certificate: Cloud security certificate",
            "2025-08-01T00:00:00Z",
        ),
        ("#iso-iec-27001-2022-certificate-2024-01-11", "New certificate: ISO/IEC 27001:2022", "2024-01-11T00:00:00Z"),
    ]
    texts = {i["title"]: i["content_text"] for i in json_feed(site, "certifications")["items"]}
    assert texts["Expired: Cloud security certificate"] == (
        "The certificate expired on 31 July 2026, and no renewed certificate is published."
    )
    assert texts["Report late: SOC 2 Type I"] == "The report was expected in October 2026 and is not published yet."


def test_a_planned_subprocessor_says_when_it_starts_and_until_when_to_object(site: Path) -> None:
    [planned] = [i for i in json_feed(site, "subprocessors")["items"] if "Wingtip" in i["title"]]
    assert planned["title"] == "Planned: Wingtip Search"
    assert planned["id"] == f"{BASE_URL}subprocessors/#added-wingtip-search-2026-11-16-starts-2027-01-15"
    assert planned["date_published"] == planned["date_modified"] == "2026-11-16T00:00:00Z"  # announced
    assert "Starts on 15 January 2027; objections until 16 December 2026." in planned["content_text"]
    assert '<a href="https://test.example/object">https://test.example/object</a>' in planned["content_html"]


def test_policy_versions_are_news_and_nothing_else_of_the_policies(site: Path) -> None:
    items = json_feed(site, "policies")["items"]
    assert [(i["id"], i["title"]) for i in items] == [
        (f"{BASE_URL}policies/vendor-review/#version-1-1", "Policy version 1.1: Vendor review policy"),
        (f"{BASE_URL}policies/remote-work/#version-2-0", "Policy version 2.0: Remote work policy"),
    ]
    assert items[1]["content_text"] == (
        "Remote work policy, version 2.0: in effect from 16 March 2026.\n\nWhat changed: Home routers now need current updates."
    )


def test_stay_informed_offers_every_feed_and_the_email_sign_up(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    block = page[page.index('id="pt-informed"') : page.index("</section>", page.index('id="pt-informed"'))]
    links = re.findall(r'<a href="([^"]+)"', block)
    assert [link for link in links if link.startswith("feeds/")] == [
        f"feeds/{topic}.{kind}" for topic in TOPICS for kind in ("xml", "json")
    ]
    assert (
        f'<a class="pt-button pt-button--quiet" href="{SUBSCRIBE.replace("&", "&amp;")}">Get these by email</a>'
        in block
    )
    assert not re.search(r"<(script|iframe|object|embed|link)\b", block)


def test_trust_json_lists_every_feed_and_the_sign_up(site: Path) -> None:
    listed = json.loads((site / "trust.json").read_text(encoding="utf-8"))["feeds"]
    assert listed == {
        **{topic: f"{BASE_URL}feeds/{topic}.xml" for topic in TOPICS},
        "json": {topic: f"{BASE_URL}feeds/{topic}.json" for topic in TOPICS},
        "subscribe_url": SUBSCRIBE,
    }


def test_every_page_head_advertises_each_atom_feed(site: Path) -> None:
    head = (site / "certifications/index.html").read_text(encoding="utf-8").split("</head>")[0]
    advertised = re.findall(
        r'<link rel="alternate feed" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head
    )
    assert advertised == [f"{BASE_URL}feeds/{topic}.xml" for topic in TOPICS]


def test_golden_feeds(site: Path, golden) -> None:
    """Every feed file of the small trust center, byte for byte (see the module's docstring)."""
    for name, data in feed_bytes(site).items():
        golden.check(data.decode("utf-8"), GOLDEN / name)
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(feed_bytes(site))


def test_without_policies_or_a_sign_up_there_is_neither_feed_nor_link(runner, base_repo: Path) -> None:
    trust = feed_site.TRUST.replace(f'subscribe_url: "{SUBSCRIBE}"\n', "")
    built = build(runner, lay_out(base_repo, trust, policies=False))
    assert sorted(feed_bytes(built)) == sorted(
        f"{t}.{kind}" for t in ("updates", "subprocessors", "certifications", "all") for kind in ("json", "xml")
    )
    page = (built / "index.html").read_text(encoding="utf-8")
    assert "Get these by email" not in page and "feeds/policies" not in page
    listed = json.loads((built / "trust.json").read_text(encoding="utf-8"))["feeds"]
    assert "policies" not in listed and "policies" not in listed["json"] and listed["subscribe_url"] is None


def test_ids_dates_and_bytes_stay_the_same_on_another_day(runner, tmp_path: Path, monkeypatch) -> None:
    """Unchanged data, built on 22 and on 23 November: not one byte of any feed moves."""
    first = feed_bytes(build(runner, lay_out(build_case(BASE, tmp_path / "one"))))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", feed_site.NEXT_DAY)
    second = build(runner, lay_out(build_case(BASE, tmp_path / "two")))
    assert json.loads((second / "trust.json").read_text())["as_of"] == "2026-11-23"  # the day did move
    assert feed_bytes(second) == first


def test_an_edited_notice_carries_a_new_updated_under_the_same_id(runner, base_repo: Path) -> None:
    before = {i["id"]: i for i in json_feed(build(runner, lay_out(base_repo)), "updates")["items"]}
    edit(base_repo, feed_site.OPEN_NOTICE, feed_site.UPDATED, "2026-11-22T10:30:00Z")
    edit(base_repo, feed_site.OPEN_NOTICE, feed_site.DOING, "We added capacity and moved traffic.")
    after = {i["id"]: i for i in json_feed(build(runner, base_repo), "updates")["items"]}
    assert after.keys() == before.keys()
    [(edited, was)] = [(after[k], before[k]) for k in after if after[k] != before[k]]
    assert (was["date_modified"], edited["date_modified"]) == ("2026-11-22T08:00:00Z", "2026-11-22T10:30:00Z")
    assert edited["date_published"] == was["date_published"] == "2026-11-21T09:00:00Z"
    assert json_feed(base_repo / "build/site", "all")["items"][0]["id"] == edited["id"]  # newest first


def test_topic_entries_keep_the_shared_contract(base_repo: Path) -> None:
    """What `plaintrust notify` reads: the topics in order, entries newest first, UTC dates from the
    data, absolute ids; and the feeds say exactly these entries."""
    view = public.build(pipeline.run(lay_out(base_repo)).model)
    found = entries.topic_entries(view, BASE_URL, True)
    assert tuple(found) == entries.TOPICS
    for topic, listed in found.items():
        assert all(e.topic == topic and e.id.startswith(BASE_URL) for e in listed)
        assert all(e.published.tzinfo == dt.UTC and e.updated.tzinfo == dt.UTC for e in listed)
        assert list(listed) == sorted(listed, key=lambda e: (e.updated, e.published, e.id), reverse=True)
    by_feed = {f.topic: f.entries for f in feeds.feeds(view, BASE_URL, True)}
    assert {t: by_feed[t] for t in entries.TOPICS} == found


def _audit(started: dt.date | None) -> public.CertificationView:
    return public.CertificationView(
        kind="SOC 2 Type II",
        auditor="Example Assurance LLP",
        period=None,
        issued=None,
        expires=None,
        certificate_number=None,
        report=None,
        request_url=None,
        file=None,
        badge=None,
        status=public.Standing.IN_PROGRESS,
        expected=dt.date(2027, 5, 1),
        started=started,
    )


@pytest.mark.parametrize(
    ("started", "today", "dated"),
    [
        # under way since the day it started, though the report is expected next year
        (dt.date(2026, 10, 5), dt.date(2026, 11, 22), "2026-10-05"),
        # no day given: dated the month the report is expected, once that month has come
        (None, dt.date(2027, 5, 1), "2027-05-01"),
        # not yet: an entry dated in the future would top every reader and date a digest ahead
        (None, dt.date(2026, 11, 22), None),
        (dt.date(2027, 1, 4), dt.date(2026, 11, 22), None),
    ],
)
def test_an_audit_in_progress_is_never_news_dated_in_the_future(
    started: dt.date | None, today: dt.date, dated: str | None
) -> None:
    found = entries.due(entries._certification_entries(_audit(started), today, BASE_URL, True), today)
    under_way = [e.published.date().isoformat() for e in found if e.title.startswith("Audit in progress")]
    assert under_way == ([dated] if dated else [])


# News dated ahead waits for its day; a postponed or withdrawn addition is news; ids never collide.

DEC_5 = str(1795348800 + 13 * 86400)  # 5 December 2026, 12:00 UTC
AHEAD = """\
  - {name: Old Search, purpose: Search, location: US, data: Project names, added: 2023-05-02, removed: 2026-12-01}
  - {name: Later Tool, purpose: Support, location: EU, data: Tickets, added: 2026-12-03, effective: 2027-02-10}
"""


def _all_dates(site: Path) -> list[dt.datetime]:
    """Every date of every feed: the feeds' own and their entries'."""
    found = []
    for topic in TOPICS:
        parsed = atom(site, topic)
        found.append(moment(parsed.feed.updated))
        found += [moment(e[key]) for e in parsed.entries for key in ("published", "updated")]
        found += [
            moment(i[key]) for i in json_feed(site, topic)["items"] for key in ("date_published", "date_modified")
        ]
    return found


def test_news_dated_ahead_waits_for_its_day_and_then_says_it_happened(runner, base_repo: Path, monkeypatch) -> None:
    """A planned removal, an addition announced for a later day and a policy version not yet in
    effect: none is news before its day (no feed `updated` after the build), each is on its day."""
    lay_out(base_repo, feed_site.TRUST + AHEAD, policies=False)
    ahead = {
        rel: text.replace("effective: 2026-03-16", "effective: 2026-12-01") for rel, text in policy_site.ALL.items()
    }
    policy_site.add_policies(base_repo, ahead)
    site = build(runner, base_repo)
    assert max(_all_dates(site)).date() <= dt.date(2026, 11, 22)
    titles = {e.title for e in atom(site, "all").entries}
    assert not titles & {"Removed: Old Search", "Planned: Later Tool", "Policy version 2.0: Remote work policy"}
    page = (site / "subprocessors/index.html").read_text(encoding="utf-8")
    assert "Old Search will be removed" in page  # the page tells what is coming; the feeds wait
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_5)
    later = {i["title"]: i for i in json_feed(build(runner, base_repo), "all")["items"]}
    removed = later["Removed: Old Search"]
    assert removed["date_published"] == "2026-12-01T00:00:00Z" and removed["content_text"].startswith(
        "Removed on 1 December 2026: Old Search"
    )
    assert later["Planned: Later Tool"]["date_published"] == "2026-12-03T00:00:00Z"
    assert later["Policy version 2.0: Remote work policy"]["date_published"] == "2026-12-01T00:00:00Z"


def test_a_postponed_start_is_a_new_entry(runner, base_repo: Path) -> None:
    first = {i["id"] for i in json_feed(build(runner, lay_out(base_repo)), "subprocessors")["items"]}
    edit(base_repo, "site/trust.yaml", "effective: 2027-01-15", "effective: 2027-02-01")
    items = {i["id"]: i for i in json_feed(build(runner, base_repo), "subprocessors")["items"]}
    page = f"{BASE_URL}subprocessors/"
    assert set(items) - first == {f"{page}#added-wingtip-search-2026-11-16-starts-2027-02-01"}
    assert (
        "Starts on 1 February 2027"
        in items[f"{page}#added-wingtip-search-2026-11-16-starts-2027-02-01"]["content_text"]
    )


def test_a_withdrawn_addition_is_news_under_its_own_id(runner, base_repo: Path) -> None:
    planned = json_feed(build(runner, lay_out(base_repo)), "subprocessors")["items"]
    edit(base_repo, "site/trust.yaml", "effective: 2027-01-15}", "effective: 2027-01-15, removed: 2026-11-20}")
    items = json_feed(build(runner, base_repo), "subprocessors")["items"]
    [was] = [i for i in planned if "Wingtip" in i["title"]]
    [now] = [i for i in items if "Wingtip" in i["title"]]  # no "Removed" entry besides: it never started
    assert (now["id"], now["title"]) == (was["id"], "Withdrawn: Wingtip Search")
    assert (was["date_modified"], now["date_modified"]) == ("2026-11-16T00:00:00Z", "2026-11-20T00:00:00Z")
    assert "Withdrawn on 20 November 2026: it was to start on 15 January 2027, and will not." in now["content_text"]
    assert "object" not in now["content_text"]
    assert items[0]["id"] == now["id"]  # newest first: the withdrawal is the latest news


TWINS = """\
  - {name: Acme EU, purpose: Backups, location: EU, data: Backups, added: 2025-02-03}
  - {name: Acme (EU), purpose: Email, location: EU, data: Email addresses, added: 2025-02-03}
"""
SECOND_ISO = """\
  - framework: iso27001
    kind: ISO/IEC 27001:2022
    auditor: Another Certification Body
    issued: 2024-01-11
    expires: 2027-06-30
    report: on-request
    request_url: https://test.example/request
"""


def test_entries_that_would_share_an_id_are_told_apart_in_the_datas_order(runner, base_repo: Path) -> None:
    trust = feed_site.TRUST.replace("subprocessors:\n", SECOND_ISO + "subprocessors:\n") + TWINS
    site = build(runner, lay_out(base_repo, trust))
    ids = [i["id"] for i in json_feed(site, "all")["items"]]
    assert len(ids) == len(set(ids))
    page = f"{BASE_URL}subprocessors/"
    by_title = {i["title"]: i["id"] for i in json_feed(site, "subprocessors")["items"]}
    assert {by_title["Added: Acme EU"], by_title["Added: Acme (EU)"]} == {
        f"{page}#added-acme-eu-2025-02-03",
        f"{page}#added-acme-eu-2025-02-03-2",
    }
    certificates = [
        i["id"] for i in json_feed(site, "certifications")["items"] if "27001" in i["title"] and "New" in i["title"]
    ]
    anchor = f"{BASE_URL}certifications/#iso-iec-27001-2022-certificate-2024-01-11"
    assert sorted(certificates) == [anchor, anchor + "-2"]
    assert feed_bytes(build(runner, base_repo)) == feed_bytes(site)  # the same ids on the next build
