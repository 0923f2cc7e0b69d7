"""Collect blocks and collected files on the public side: what a collector is told to run or read
(argv words, URLs, hosts, paths, header values, output names) is internal, and so is every file it
collects. Placed in a public page or field, `check` and `build` refuse; a built site holding one
fails the output scan. Words a public page may well use (the `every` and `covers` words, the field
names of `select`, a header's media type such as `application/json`) stay allowed, and so does the
public endpoint a `tls-certificate` block checks.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from helpers import check_and_build, edit, site_snapshot, write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.pipeline import run
from plaintrust.public.guard import tree

RECORD = "evidence/access/mfa-policy.yaml"
OF_RECORD = "of evidence record mfa-policy (evidence/access/mfa-policy.yaml)"
URL = "https://admin.idp.corp.test.example/api/v1/policies/sign-on"
HOST = "vpn-gw2.corp.test.example"
SCRIPT = "scripts/export_idp_sign_on.py"
HEADER = "tenant-7731-workforce"
OUTPUT = "sso-policy-export.json"
TOKEN = "canary-9f3b1c5e7a2d4f60"
# What the `run` collector prints: one long line, the kind the guard learns from every text evidence file.
LINE = '{"policy": "workforce-sign-on", "factors": ["webauthn"], "exceptions": "none granted"}'

BLOCKS = {
    "http-json": f"""\
collect:
  use: http-json
  with:
    url: {URL}
    token_env: IDP_TOKEN
    headers: {{X-Tenant: {HEADER}}}
    select: [authenticators, global_session_policy]
  every: monthly
  output: {OUTPUT}
  env: [IDP_TOKEN]
""",
    "tls-certificate": f"""\
collect:
  use: tls-certificate
  with: {{host: {HOST}}}
  every: weekly
""",
    "run": f"""\
collect:
  run: [python3, {SCRIPT}, --out, "{{output}}"]
  every: quarterly
  covers: previous-slot
""",
}


def _declare(repo: Path, block: str) -> None:
    path = repo / RECORD
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")


def refused(runner, repo: Path, *expected: str) -> None:
    """`check` and `build` both exit 1 naming each expected text; the previous site stays as it was."""
    before = site_snapshot(repo)
    for command, result in check_and_build(runner, repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "Traceback" not in result.output
        for text in expected:
            assert text in result.output, f"{command} did not say {text!r}:\n{result.output}"
    assert site_snapshot(repo) == before


def test_a_declared_collect_block_alone_is_clean(runner, base_repo: Path) -> None:
    for block in BLOCKS.values():
        _declare(base_repo, block)
        result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
        assert result.exit_code == ExitCode.OK, result.output
        edit(base_repo, RECORD, block, "")


@pytest.mark.parametrize(
    ("block", "value", "field"),
    [
        ("http-json", URL, "a collect setting"),
        ("http-json", HEADER, "a collect setting"),
        ("http-json", OUTPUT, "the collect output name"),
        ("run", SCRIPT, "the collect command"),
    ],
)
def test_a_collect_value_on_a_public_page_is_refused(
    runner, base_repo: Path, block: str, value: str, field: str
) -> None:
    _declare(base_repo, BLOCKS[block])
    write(base_repo, "site/faq.md", f"# FAQ\n\nWe read {value} every month.\n")
    refused(runner, base_repo, f"site/faq.md:3:9: error [internal-value] site/faq.md contains {field} {OF_RECORD}")


def test_a_collect_value_in_a_control_summary_is_refused(runner, base_repo: Path) -> None:
    _declare(base_repo, BLOCKS["http-json"])
    edit(base_repo, "controls/access/ac-01.yaml", "A password alone is never enough.", f"We check {URL} daily.")
    refused(
        runner, base_repo, f"error [internal-value] the public summary of AC-01 contains a collect setting {OF_RECORD}"
    )


def test_the_plain_words_of_a_collect_block_stay_allowed(runner, base_repo: Path) -> None:
    _declare(base_repo, BLOCKS["http-json"])
    write(base_repo, "site/faq.md", "# FAQ\n\nMonthly, we check the global session policy and our authenticators.\n")
    results = check_and_build(runner, base_repo)
    assert [r.exit_code for r in results.values()] == [ExitCode.OK, ExitCode.OK], results["build"].output


def test_the_output_scan_knows_the_collect_values(runner, base_repo: Path) -> None:
    """The build's own guard, apart from `check`: a value written into the finished site is a leak."""
    _declare(base_repo, BLOCKS["http-json"])
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    site, result = base_repo / "build/site", run(base_repo)
    assert tree.scan(site, result.model, result.ordinary) == []
    (site / "extra.js").write_text(f'fetch("{URL}", {{headers: {{"X-Tenant": "{HEADER}"}}}})\n')
    found = [str(leak) for leak in tree.scan(site, result.model, result.ordinary)]
    assert f"extra.js: contains a collect setting {OF_RECORD}: {URL!r}" in found, found
    assert f"extra.js: contains a collect setting {OF_RECORD}: {HEADER!r}" in found, found


# A file the `run` collector collected is evidence like any other: internal, known to the guard.


@pytest.fixture
def collected(runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The base series collects itself once, by a program printing LINE, with a canary token allowed."""
    code = f"import os; assert os.environ['IDP_TOKEN']; print({LINE!r})"
    argv = json.dumps([sys.executable, "-c", code])  # a JSON list is a YAML flow sequence
    _declare(base_repo, f"collect:\n  run: {argv}\n  every: monthly\n  env: [IDP_TOKEN]\n")
    monkeypatch.setenv("IDP_TOKEN", TOKEN)
    result = runner.invoke(cli.cli, ["evidence", "collect", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    assert TOKEN not in result.output
    assert (base_repo / "evidence/files/mfa-policy/2026-11-22.txt").read_text().strip() == LINE
    return base_repo


COLLECTED = "evidence/files/mfa-policy/2026-11-22.txt"
OF_COLLECTED = "of evidence record mfa-policy-2026-11-22 (evidence/mfa-policy/mfa-policy-2026-11-22.yaml)"


def test_a_collected_file_never_reaches_the_site(runner, collected: Path) -> None:
    results = check_and_build(runner, collected)
    assert [r.exit_code for r in results.values()] == [ExitCode.OK, ExitCode.OK], results["build"].output
    site = site_snapshot(collected)
    assert site, "the site was built"
    for rel, data in site.items():
        text = data.decode("utf-8", "replace")
        for secret in ("workforce-sign-on", "2026-11-22.txt", "files/mfa-policy/", TOKEN):
            assert secret not in text and secret not in rel, (rel, secret)


def test_a_line_of_a_collected_file_on_a_page_is_refused(runner, collected: Path) -> None:
    write(collected, "site/faq.md", f"# FAQ\n\nOur export reads: {LINE}\n")
    refused(runner, collected, f"contains a line of {COLLECTED} (evidence record mfa-policy-2026-11-22)")


def test_a_copy_of_a_collected_file_is_refused(runner, collected: Path) -> None:
    shutil.copy(collected / COLLECTED, collected / "site/policy.txt")
    refused(runner, collected, f"error [evidence-copy] site/policy.txt is a copy of the evidence file {COLLECTED}")


def test_the_path_of_a_collected_file_is_refused(runner, collected: Path) -> None:
    write(collected, "site/faq.md", f"# FAQ\n\nSee {COLLECTED}.\n")
    refused(
        runner, collected, f"site/faq.md:3:5: error [internal-value] site/faq.md contains a file path {OF_COLLECTED}"
    )


def test_the_canary_token_is_nowhere_in_the_repository_or_the_output(runner, collected: Path) -> None:
    written = [p for p in collected.rglob("*") if p.is_file() and ".plaintrust-cache" not in p.parts]
    assert [p for p in written if TOKEN.encode() in p.read_bytes()] == []


# A short address (three words or fewer: a URL, a host, a path) is never an "ordinary phrase" that a
# public input may hold; the endpoint a `tls-certificate` block checks is public and no needle at all.

SHORT = {
    "https://vault.internal/": "collect:\n  use: http-json\n  with: {url: 'https://vault.internal/'}\n  every: monthly\n",
    "config/sshd_config": "collect:\n  use: file\n  with: {path: config/sshd_config}\n  every: monthly\n",
    "scripts/export.sh": "collect:\n  run: [sh, scripts/export.sh]\n  every: monthly\n",
}


@pytest.mark.parametrize("value", sorted(SHORT))
def test_a_short_collect_address_on_a_public_page_is_refused(runner, base_repo: Path, value: str) -> None:
    _declare(base_repo, SHORT[value])
    field = "the collect command" if value.startswith("scripts/") else "a collect setting"
    write(base_repo, "site/faq.md", f"# FAQ\n\nWe read {value} every month.\n")
    refused(runner, base_repo, f"site/faq.md:3:9: error [internal-value] site/faq.md contains {field} {OF_RECORD}")


def test_a_short_collect_address_in_a_control_summary_is_refused(runner, base_repo: Path) -> None:
    _declare(base_repo, SHORT["https://vault.internal/"])
    edit(
        base_repo,
        "controls/access/ac-01.yaml",
        "A password alone is never enough.",
        "We check https://vault.internal/ daily.",
    )
    refused(runner, base_repo, f"the public summary of AC-01 contains a collect setting {OF_RECORD}")


def test_the_host_a_tls_certificate_block_checks_is_public(runner, base_repo: Path) -> None:
    block = "collect:\n  use: tls-certificate\n  with: {host: app.corp.test.example, server_name: www.corp.test.example}\n  every: weekly\n"
    _declare(base_repo, block)
    write(
        base_repo,
        "site/faq.md",
        "# FAQ\n\nOur sites app.corp.test.example and www.corp.test.example accept TLS 1.2 and later.\n",
    )
    results = check_and_build(runner, base_repo)
    assert [r.exit_code for r in results.values()] == [ExitCode.OK, ExitCode.OK], results["check"].output
    site, result = base_repo / "build/site", run(base_repo)
    assert "app.corp.test.example" in (site / "faq/index.html").read_text(encoding="utf-8")
    assert tree.scan(site, result.model, result.ordinary) == []


def test_the_title_of_a_collect_block_is_internal(runner, base_repo: Path) -> None:
    title = "Northwind workforce sign-on export"
    _declare(base_repo, f"collect:\n  run: [sh, x]\n  title: {title}\n  every: monthly\n")
    write(base_repo, "site/faq.md", f"# FAQ\n\nSee the {title}.\n")
    refused(
        runner, base_repo, f"site/faq.md:3:9: error [internal-value] site/faq.md contains the collect title {OF_RECORD}"
    )


def test_the_repository_example_checks_clean(runner) -> None:
    """The example publishes its TLS endpoint (app.northwind.example) and collects it: still clean."""
    root = Path(__file__).parents[2]
    assert "host: app.northwind.example" in (root / "evidence/encryption/tls-scan-2026-11.yaml").read_text()
    result = runner.invoke(cli.cli, ["check", "--root", str(root)])
    assert result.exit_code == ExitCode.OK, result.output


def test_a_header_that_is_a_media_type_is_no_internal_value(runner, base_repo: Path) -> None:
    """`Accept: application/json` names nothing of the organization's: a page may say
    "application/json". Any other header value stays internal, one that looks like a path too."""
    accept = "application/vnd.api+json; charset=utf-8, text/csv"
    block = (
        "collect:\n  use: http-json\n  with:\n    url: https://status.corp.test.example/api\n"
        f"    headers: {{Accept: '{accept}', Content-Type: application/json, X-Tenant: acme/workforce-7731}}\n"
        "  every: monthly\n"
    )
    _declare(base_repo, block)
    write(base_repo, "site/faq.md", f"# FAQ\n\nExports come as application/json, or as {accept}.\n")
    results = check_and_build(runner, base_repo)
    assert [r.exit_code for r in results.values()] == [ExitCode.OK, ExitCode.OK], results["check"].output
    site, result = base_repo / "build/site", run(base_repo)
    assert tree.scan(site, result.model, result.ordinary) == []
    write(base_repo, "site/faq.md", "# FAQ\n\nOur tenant is acme/workforce-7731.\n")
    refused(
        runner,
        base_repo,
        f"site/faq.md:3:15: error [internal-value] site/faq.md contains a collect setting {OF_RECORD}",
    )
