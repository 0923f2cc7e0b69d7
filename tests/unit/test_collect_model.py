"""A record's `collect:` block becomes `model.Collect`: the run form is the `command` collector, the
optional fields take their defaults, and the collect rules judge what the schema cannot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import assemble, pipeline
from plaintrust.collect import registry, schedule
from plaintrust.collect.api import MAX_TIMEOUT, Collector
from plaintrust.model import Collect
from plaintrust.rules import collect_cadence, collect_limit, collect_options

RECORD = "evidence/access/mfa-policy.yaml"
PINNED = "    sha256: 08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230\n"


def with_collect(repo: Path, block: str) -> pipeline.Result:
    edit(repo, RECORD, PINNED, PINNED + block)
    return pipeline.run(repo)


def found(result: pipeline.Result, rule: str) -> list[str]:
    return [f"{d.line}:{d.col} {d.message} | {d.hint}" for d in result.diagnostics if d.rule == rule]


def test_the_run_form_is_the_command_collector_with_every_field_read() -> None:
    block = {
        "run": ["python", "scripts/export.py", "--out", "{output}"],
        "every": "monthly",
        "timeout": "2m",
        "output": "policy.json",
        "covers": "previous-slot",
        "env": ["IDP_TOKEN", "IDP_HOST"],
        "title": "Sign-on policy export",
    }
    assert assemble.collect(block) == Collect(
        use="command",
        options={"run": ["python", "scripts/export.py", "--out", "{output}"]},
        every="monthly",
        timeout=120,
        output="policy.json",
        covers="previous-slot",
        env=("IDP_TOKEN", "IDP_HOST"),
        title="Sign-on policy export",
    )


def test_a_named_collector_takes_the_defaults() -> None:
    block = {"use": "http-json", "with": {"url": "https://idp.test.example/policy"}, "every": "weekly"}
    assert assemble.collect(block) == Collect(
        use="http-json",
        options={"url": "https://idp.test.example/policy"},
        every="weekly",
        timeout=60,
        output=None,
        covers="collected-day",
        env=(),
    )


def test_use_command_with_run_equals_the_run_form() -> None:
    run = {"run": ["python", "export.py"], "every": "daily"}
    named = {"use": "command", "with": {"run": ["python", "export.py"]}, "every": "daily"}
    assert assemble.collect(run) == assemble.collect(named)


def test_a_named_collector_without_options_has_none() -> None:
    collect = assemble.collect({"use": "tls-certificate", "every": "daily"})
    assert collect is not None and collect.options == {}


@pytest.mark.parametrize(("written", "seconds"), [("1s", 1), ("45s", 45), ("5m", 300), ("10m", 600), ("9999s", 9999)])
def test_timeouts_are_counted_in_seconds(written: str, seconds: int) -> None:
    assert assemble.seconds(written) == seconds


def test_a_record_without_a_block_collects_nothing(base_repo: Path) -> None:
    model = pipeline.run(base_repo).model
    assert [r.collect for r in model.evidence] == [None]
    assert dict(model.collecting) == {}


def test_the_declaring_record_is_the_series_collector(base_repo: Path) -> None:
    result = with_collect(base_repo, "collect:\n  run: [python, export.py]\n  every: monthly\n")
    assert result.diagnostics == ()
    [record] = result.model.evidence
    assert result.model.collecting == {"mfa-policy": record}
    assert record.collect == Collect(
        "command", {"run": ["python", "export.py"]}, "monthly", 60, None, "collected-day", ()
    )


@pytest.mark.parametrize(
    "block",
    [
        "collect: python export.py\n",
        "collect:\n  run: python export.py\n  every: monthly\n",
        "collect:\n  run: []\n  every: monthly\n",
        "collect:\n  run: [python, '']\n  every: monthly\n",
        "collect:\n  use: File\n  every: monthly\n",
        "collect:\n  use: file\n  with: [path]\n  every: monthly\n",
        "collect:\n  use: file\n  every: hourly\n",
        "collect:\n  run: [x]\n  every: monthly\n  timeout: 60\n",
        "collect:\n  run: [x]\n  every: monthly\n  timeout: 1h\n",
        "collect:\n  run: [x]\n  every: monthly\n  output: policy\n",
        "collect:\n  run: [x]\n  every: monthly\n  output: ../policy.json\n",
        "collect:\n  run: [x]\n  every: monthly\n  covers: audit-period\n",
        "collect:\n  run: [x]\n  every: monthly\n  env: [idp_token]\n",
        "collect:\n  run: [x]\n  every: monthly\n  env: [A, A]\n",
        "collect:\n  run: [x]\n  every: monthly\n  shell: true\n",
    ],
)
def test_a_block_the_schema_refuses_is_a_located_error_and_the_record_is_not_used(base_repo: Path, block: str) -> None:
    result = with_collect(base_repo, block)
    errors = [d for d in result.diagnostics if d.rule == "schema"]
    assert errors and all(d.path == RECORD and d.line >= 10 for d in errors), result.diagnostics
    assert result.model.evidence == ()


def test_a_shell_line_under_use_command_gets_the_same_hint(base_repo: Path) -> None:
    result = with_collect(base_repo, "collect:\n  use: command\n  with:\n    run: python export.py\n  every: daily\n")
    [problem] = found(result, collect_options.ID)
    assert problem.startswith("13:10 run: expected a list, found 'python export.py'")
    assert "list of words" in problem and "no shell runs it" in problem


def test_the_longest_timeout_allowed_is_ten_minutes(base_repo: Path) -> None:
    assert MAX_TIMEOUT == 600
    assert not found(with_collect(base_repo, "collect:\n  run: [x]\n  every: daily\n  timeout: 10m\n"), "collect-limit")
    edit(base_repo, RECORD, "timeout: 10m", "timeout: 601s")
    assert found(pipeline.run(base_repo), "collect-limit") == [
        "13:12 timeout: 601s is more than the 10 minutes a collector may run | set it to 10m or less"
    ]


def test_token_env_listed_in_env_is_accepted(base_repo: Path) -> None:
    block = (
        "collect:\n  use: http-json\n  with:\n    url: https://idp.test.example/policy\n"
        "    token_env: IDP_TOKEN\n  every: daily\n  env: [IDP_TOKEN]\n"
    )
    assert with_collect(base_repo, block).diagnostics == ()


@pytest.mark.parametrize(
    ("name", "options"),
    [("bad-type", {"type": 12}), ("ref-to-nowhere", {"properties": {"a": {"$ref": "#/$defs/missing"}}})],
)
def test_a_collector_whose_options_schema_is_broken_is_a_warning_not_a_crash(
    base_repo: Path, monkeypatch: pytest.MonkeyPatch, name: str, options: dict
) -> None:
    broken = Collector(name, "Says nothing.", lambda options, context: b"", options=options)
    real = registry.find
    monkeypatch.setattr(registry, "find", lambda wanted: broken if wanted == name else real(wanted))
    result = with_collect(base_repo, f"collect:\n  use: {name}\n  with: {{a: 1}}\n  every: daily\n")
    assert [(d.rule, d.severity.value, d.line) for d in result.diagnostics] == [(collect_options.ID, "warning", 11)]


@pytest.mark.parametrize("every", schedule.FREQUENCIES)
def test_a_refresh_as_long_as_every_never_goes_stale_between_collections(every: str) -> None:
    assert collect_cadence._first_gap(every, every, dt.date(2026, 11, 22)) is None


@pytest.mark.parametrize(("refresh", "every"), [("30d", "monthly"), ("weekly", "monthly"), ("6d", "weekly")])
def test_a_refresh_shorter_than_every_leaves_stale_days(refresh: str, every: str) -> None:
    gap = collect_cadence._first_gap(refresh, every, dt.date(2026, 11, 22))
    assert gap is not None and gap[1] < gap[2]


def long_named(repo: Path, name: str, field: str) -> pipeline.Result:
    """A record of its own series (no `series:`, its id names it) or one naming a series, collecting daily."""
    body = (
        (repo / RECORD)
        .read_text()
        .replace("id: mfa-policy\n", f"id: {name}\n" if field == "id" else f"id: mfa-policy-x\nseries: {name}\n")
    )
    write(repo, "evidence/access/long.yaml", body + "collect:\n  run: [x]\n  every: daily\n")
    return pipeline.run(repo)


@pytest.mark.parametrize("field", ["id", "series"])
def test_a_series_name_too_long_for_the_ids_it_collects_is_an_error_at_it(base_repo: Path, field: str) -> None:
    name = "s" * 54
    found_here = found(long_named(base_repo, name, field), collect_limit.ID)
    line = 1 if field == "id" else 2
    col = 5 if field == "id" else 9
    assert found_here == [
        f"{line}:{col} {field}: the records this series collects would have ids of 65 characters "
        "(<series>-<YYYY-MM-DD>), more than the 64 an id may have | give the series a name of at most 53 characters"
    ]


@pytest.mark.parametrize("field", ["id", "series"])
def test_a_series_name_of_53_characters_collects(base_repo: Path, field: str) -> None:
    assert found(long_named(base_repo, "s" * 53, field), collect_limit.ID) == []


@pytest.mark.parametrize("every", schedule.FREQUENCIES)
def test_the_cadence_search_ends_at_the_calendar_s_last_slot(every: str) -> None:
    # The last slot's next_due is date.max: the search must stop there, not start it again.
    for today in (dt.date.max - collect_cadence.SPAN, dt.date.max):
        collect_cadence._first_gap.cache_clear()
        assert collect_cadence._first_gap("1y", every, today) is None
