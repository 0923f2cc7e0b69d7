"""The collector sandbox: no shell, a minimal environment, a time limit for the whole process group,
an output cap, a stderr tail with secrets redacted, and named collectors run in a worker process."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import sys
import time
from pathlib import Path

import pytest

from plaintrust.collect import runner, worker
from plaintrust.collect.api import Collector, CollectorFailed
from plaintrust.collect.registry import find

TODAY = dt.date(2026, 11, 22)
PY = sys.executable


def collect(root: Path, name: str, options: dict, **given: object) -> runner.Ran:
    settings: dict = {"today": TODAY, "covers": None, "allowed_env": {}, "timeout": 10.0, "series": "idp-mfa"}
    return runner.collect(name, options, root=root, **(settings | given))


def python(code: str, *args: str) -> dict:
    return {"run": [PY, "-c", code, *args]}


def gone(pid: int) -> bool:
    """The process has ended (or is a zombie waiting for its reaper)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


ENV_DUMP = "import json, os; print(json.dumps(dict(os.environ)))"


def test_the_child_sees_only_the_minimal_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_CANARY", "canary-7f3a")
    ran = collect(tmp_path, "command", python(ENV_DUMP))
    seen = json.loads(ran.output)
    assert ran.ok
    assert "SECRET_CANARY" not in seen and "SOURCE_DATE_EPOCH" not in seen
    assert seen["PATH"] == os.environ["PATH"]
    assert seen["HOME"] == seen["TMPDIR"] != os.environ.get("HOME")
    assert not Path(seen["HOME"]).exists()  # the temporary folder went with the run
    fixed = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC"}
    assert {k: seen[k] for k in fixed} == fixed
    assert seen["PLAINTRUST_SERIES"] == "idp-mfa" and seen["PLAINTRUST_TODAY"] == "2026-11-22"
    assert "PLAINTRUST_COVERS_FROM" not in seen
    assert set(seen) - {"PWD"} <= {"PATH", "HOME", "TMPDIR", "PLAINTRUST_SERIES", "PLAINTRUST_TODAY", *fixed}


def test_an_allowed_variable_and_the_covered_period_reach_the_child(tmp_path: Path) -> None:
    covers = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    allowed = {"SECRET_CANARY": "canary-7f3a", "HOME": "/somewhere/else"}
    seen = json.loads(collect(tmp_path, "command", python(ENV_DUMP), allowed_env=allowed, covers=covers).output)
    assert seen["SECRET_CANARY"] == "canary-7f3a"
    assert seen["HOME"] != "/somewhere/else"  # an allowed name cannot replace the sandbox's own
    assert (seen["PLAINTRUST_COVERS_FROM"], seen["PLAINTRUST_COVERS_TO"]) == ("2026-10-01", "2026-10-31")


def test_the_program_runs_in_the_repository_root_without_a_shell(tmp_path: Path) -> None:
    ran = collect(tmp_path, "command", python("import os, sys; print(os.getcwd()); print(sys.argv[1])", "$HOME;*"))
    assert ran.output.decode().splitlines() == [str(tmp_path), "$HOME;*"]


def test_a_grandchild_left_sleeping_is_killed_with_the_group_at_the_time_limit(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    started = time.monotonic()
    ran = collect(
        tmp_path, "command", {"run": ["sh", "-c", 'sleep 30 & echo $! > "$0"; wait', str(pidfile)]}, timeout=0.5
    )
    assert time.monotonic() - started < 2
    assert not ran.ok and ran.problem == "the program 'sh' did not finish within 0.5 seconds and was stopped"
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 1
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert gone(pid)


def test_a_program_that_ends_does_not_wait_for_what_it_left_behind(tmp_path: Path) -> None:
    started = time.monotonic()
    ran = collect(tmp_path, "command", {"run": ["sh", "-c", "(sleep 30 &); echo done"]}, timeout=5)
    assert ran.ok and ran.output == b"done\n"
    assert time.monotonic() - started < 2


def test_the_output_cap_stops_an_endless_writer(tmp_path: Path) -> None:
    endless = "import sys\nwhile True: sys.stdout.write('x' * 65536)"
    started = time.monotonic()
    ran = collect(tmp_path, "command", python(endless), limit=100_000)
    assert not ran.ok and ran.output == b""
    assert ran.problem == f"the program {PY!r} wrote more than 100,000 bytes"
    assert time.monotonic() - started < 5


def test_output_up_to_the_cap_is_kept_whole(tmp_path: Path) -> None:
    ran = runner.run(
        [PY, "-c", "import sys; sys.stdout.write('y' * 100000)"], cwd=tmp_path, env={}, timeout=5, limit=100_000
    )
    assert ran.ok and ran.output == b"y" * 100_000


def test_stdin_larger_than_a_pipe_is_fed_while_output_is_read(tmp_path: Path) -> None:
    data = bytes(range(256)) * 2000
    echo = "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read())"
    ran = runner.run([PY, "-c", echo], cwd=tmp_path, env={}, timeout=5, stdin=data)
    assert ran.ok and ran.output == data


def test_the_stderr_tail_keeps_the_last_lines(tmp_path: Path) -> None:
    noisy = "import sys\nfor n in range(50): print('line', n, file=sys.stderr)\nsys.exit(7)"
    ran = collect(tmp_path, "command", python(noisy))
    assert not ran.ok and ran.status == 7
    assert ran.problem == f"the program {PY!r} exited with status 7"
    assert ran.stderr_tail.splitlines() == [f"line {n}" for n in range(30, 50)]


def test_the_stderr_tail_is_at_most_2000_characters(tmp_path: Path) -> None:
    ran = collect(tmp_path, "command", python("import sys; print('z' * 5000, file=sys.stderr); print('out')"))
    assert ran.ok and ran.stderr_tail == "z" * runner.TAIL_CHARS


def test_secrets_are_redacted_from_the_tail_and_the_problem(tmp_path: Path) -> None:
    leak = "import os, sys; t = os.environ['TOKEN']; print('bad token', t, file=sys.stderr); sys.exit(t)"
    ran = collect(tmp_path, "command", python(leak), allowed_env={"TOKEN": "canary-7f3a"})
    assert "canary-7f3a" not in ran.stderr_tail + str(ran.problem)
    assert "bad token [TOKEN]" in ran.stderr_tail


def test_redact_replaces_longer_values_first() -> None:
    secrets = {"SHORT": "abcdefgh", "LONG": "abcdefghijkl", "EMPTY": ""}
    assert runner.redact("abcdefghijkl abcdefgh x", secrets) == "[LONG] [SHORT] x"


def test_leaked_names_a_variable_whose_value_is_in_the_output() -> None:
    assert runner.leaked(b"token=canary-7f3a", {"A": "", "TOKEN": "canary-7f3a"}) == "TOKEN"
    assert runner.leaked(b"nothing here", {"TOKEN": "canary-7f3a"}) is None


@pytest.mark.parametrize("value", ["1", "debug", "eu-west", "  1234567  \n", "a\nbcd\n"])
def test_a_value_shorter_than_8_characters_is_neither_looked_for_nor_redacted(value: str) -> None:
    secrets = {"NO_COLOR": value}
    text = "1 debug eu-west 1234567 a bcd"
    assert runner.forms(value) == set()
    assert runner.redact(text, secrets) == text
    assert runner.leaked(text.encode(), secrets) is None


def test_a_value_of_8_characters_is_a_secret(tmp_path: Path) -> None:
    assert runner.redact("key 12345678 sent", {"KEY": "12345678"}) == "key [KEY] sent"
    assert runner.leaked(b"key 12345678", {"KEY": " 12345678\n"}) == "KEY"


def test_a_short_value_reaches_the_program_and_its_output_and_stderr_are_kept(tmp_path: Path) -> None:
    said = "import os, sys; print('colour', os.environ['NO_COLOR'], 'off 1', file=sys.stderr); print('1 of 1')"
    ran = collect(tmp_path, "command", python(said), allowed_env={"NO_COLOR": "1"})
    assert ran.ok and ran.output == b"1 of 1\n" and ran.stderr_tail == "colour 1 off 1"
    assert runner.leaked(ran.output, {"NO_COLOR": "1"}) is None


@pytest.mark.parametrize(
    "shown",
    [
        "GET /api?token=c%2Fan%20ary%2B7f%3D3a sent",  # quote(value, safe="")
        "GET /api/c/an%20ary%2B7f%3D3a sent",  # quote(value): a path keeps its slashes
        "POST token=c%2Fan+ary%2B7f%3D3a sent",  # quote_plus(value): a form
    ],
)
def test_a_percent_encoded_secret_is_found_and_redacted(shown: str) -> None:
    secrets = {"TOKEN": "c/an ary+7f=3a\n"}
    assert runner.leaked(shown.encode(), secrets) == "TOKEN"
    assert runner.redact(shown, secrets).endswith("[TOKEN] sent") and "ary" not in runner.redact(shown, secrets)


def test_a_percent_encoded_form_shorter_than_8_characters_is_not_looked_for() -> None:
    assert runner.forms("a b") == set()
    assert runner.forms("a/b c d") == set()  # a%2Fb%20c%20d is long, but the value is short


def test_a_program_that_does_not_exist_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    ran = collect(tmp_path, "command", {"run": ["no-such-program-3c9d"]})
    assert ran == runner.Ran(
        ok=False, output=b"", stderr_tail="", problem="the program 'no-such-program-3c9d' was not found"
    )


def test_a_program_that_writes_nothing_fails(tmp_path: Path) -> None:
    ran = collect(tmp_path, "command", python("pass"))
    assert not ran.ok and ran.problem == f"the program {PY!r} wrote nothing"


def test_a_program_killed_by_a_signal_says_which(tmp_path: Path) -> None:
    ran = collect(tmp_path, "command", python("import os, signal; os.kill(os.getpid(), signal.SIGTERM)"))
    assert ran.problem == f"the program {PY!r} was stopped by signal SIGTERM"


def test_an_output_word_gets_a_file_whose_bytes_are_the_output(tmp_path: Path) -> None:
    write = "import os, sys; print('ignored'); open(sys.argv[1].split('=')[1], 'w').write(os.environ['HOME'])"
    ran = collect(tmp_path, "command", python(write, "--out={output}"), output="policy.json")
    assert ran.ok
    home = ran.output.decode()
    assert not Path(home).exists()


def test_the_output_file_is_named_with_the_evidence_extension(tmp_path: Path) -> None:
    write = "import sys; open(sys.argv[1], 'w').write(sys.argv[1])"
    assert collect(tmp_path, "command", python(write, "{output}"), output="policy.json").output.endswith(b".json")
    assert collect(tmp_path, "command", python(write, "{output}")).output.endswith(b".txt")


def test_an_output_file_never_written_is_nothing_written(tmp_path: Path) -> None:
    ran = collect(tmp_path, "command", python("print('only stdout')", "{output}"))
    assert not ran.ok and ran.problem == f"the program {PY!r} wrote nothing (no file at {{output}})"


def test_an_output_file_over_the_cap_fails(tmp_path: Path) -> None:
    write = "import sys; open(sys.argv[1], 'w').write('x' * 2000)"
    ran = collect(tmp_path, "command", python(write, "{output}"), limit=1000)
    assert not ran.ok and ran.problem == f"the program {PY!r} wrote more than 1,000 bytes"


def test_an_unknown_collector_is_a_problem(tmp_path: Path) -> None:
    assert collect(tmp_path, "no-such", {}).problem == "no collector is named 'no-such'"


def test_a_named_collector_runs_in_the_worker(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"mfa": {"required": true}, "other": 1}')
    ran = collect(tmp_path, "file", {"path": "settings.json", "select": ["mfa.required"]})
    assert ran.ok and json.loads(ran.output) == {"mfa.required": True}


def test_a_collector_failure_comes_back_as_its_sentence(tmp_path: Path) -> None:
    ran = collect(tmp_path, "file", {"path": "absent.json"})
    assert not ran.ok and ran.status == worker.FAILED
    assert ran.problem == "the file 'absent.json' does not exist" and ran.stderr_tail == ""


def test_the_worker_refuses_an_unknown_name(tmp_path: Path) -> None:
    argv = [PY, "-m", "plaintrust.collect.worker", "no-such"]
    ran = runner.run(argv, cwd=tmp_path, env=dict(os.environ), timeout=10, stdin=b"{}")
    assert ran.status == worker.USAGE and ran.stderr_tail == "no collector is named 'no-such'"


def test_the_worker_passes_on_only_the_allowed_variables() -> None:
    environ = {"PLAINTRUST_ALLOWED": "TOKEN,ABSENT", "TOKEN": "t", "OTHER": "o"}
    assert worker._allowed(environ) == {"TOKEN": "t"}


def _broken(options: object, context: object) -> bytes:
    raise ValueError("no\nluck")


def _wrong_type(options: object, context: object) -> bytes:
    return "text"  # type: ignore[return-value]


def _failing(options: object, context: object) -> bytes:
    raise CollectorFailed("the service said no")


@pytest.mark.parametrize(
    ("function", "status", "said"),
    [
        (_broken, worker.BROKEN, "the collector 'test' broke (ValueError: no luck)"),
        (_wrong_type, worker.BROKEN, "the collector 'test' broke (TypeError: the collector returned str, not bytes)"),
        (_failing, worker.FAILED, "the service said no"),
    ],
)
def test_the_worker_reports_a_failing_collector_in_one_line(function, status: int, said: str) -> None:
    collector = Collector(name="test", summary="A test.", collect=function)
    request = runner._request({}, Path("."), TODAY, None, 10)
    options, context = worker._request(request)
    stdout, stderr = io.BytesIO(), io.StringIO()
    assert worker._collect(collector, options, context, stdout, stderr) == status
    assert stderr.getvalue() == said + "\n" and stdout.getvalue() == b""


def test_the_worker_request_carries_the_day_and_period() -> None:
    covers = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    options, context = worker._request(runner._request({"a": 1}, Path("/r"), TODAY, covers, 10))
    assert options == {"a": 1} and context.today == TODAY and context.covers == covers
    assert context.root == Path("/r") and context.timeout == 9.0


@pytest.mark.parametrize(
    ("name", "options", "output", "suffix"),
    [
        ("command", {"run": ["x"]}, None, ".txt"),
        ("command", {"run": ["x"]}, "policy.json", ".json"),
        ("file", {"path": "config/sshd_config.conf"}, None, ".conf"),
        ("file", {"path": "config/sshd_config"}, None, ".txt"),
        ("file", {"path": "a.yaml", "select": ["x"]}, None, ".json"),
        ("file", {"path": "a.yaml"}, "snapshot.yml", ".yml"),
    ],
)
def test_suffix_for(name: str, options: dict, output: str | None, suffix: str) -> None:
    collector = find(name)
    assert collector is not None and runner.suffix_for(collector, options, output) == suffix


def test_suffix_for_another_collector_is_its_own() -> None:
    other = Collector(name="other", summary="Another.", collect=_broken, suffix=".xml")
    assert runner.suffix_for(other, {}, None) == ".xml"


def test_a_relative_root_reaches_the_worker_as_the_same_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "a.txt").write_text("kept\n")
    monkeypatch.chdir(tmp_path)
    assert collect(Path("repo"), "file", {"path": "a.txt"}).output == b"kept\n"


def test_the_worker_does_not_import_modules_from_the_repository(tmp_path: Path) -> None:
    (tmp_path / "yaml.py").write_text("raise SystemExit('the repository shadowed a module')\n")
    (tmp_path / "a.json").write_text('{"a": 1}')
    assert collect(tmp_path, "file", {"path": "a.json", "select": ["a"]}).ok


def test_a_secret_the_tail_would_cut_in_two_is_redacted_before_the_cut(tmp_path: Path) -> None:
    secret = "canary-7f3a-0123456789-abcdef"
    # 1990 characters after it: the 2,000-character cut falls in the middle of the secret.
    noisy = "import os, sys; print(os.environ['TOKEN'] + 'y' * 1990, file=sys.stderr); print('out')"
    ran = collect(tmp_path, "command", python(noisy), allowed_env={"TOKEN": secret})
    assert ran.ok and ran.stderr_tail == "[TOKEN]" + "y" * 1990
    assert secret[-10:] not in ran.stderr_tail


def test_a_secret_the_kept_window_cuts_in_two_goes_with_its_line(tmp_path: Path) -> None:
    secret = "Zq" * 500
    # One long line of the secret again and again: the window of stderr kept starts inside one of them,
    # where redaction no longer knows it; that partial line is dropped, the last line is kept.
    noisy = "import os, sys; print(' '.join([os.environ['TOKEN']] * 100), file=sys.stderr); print('the end', file=sys.stderr); print('out')"
    ran = collect(tmp_path, "command", python(noisy), allowed_env={"TOKEN": secret})
    assert ran.ok and ran.stderr_tail == "the end"


def test_a_window_of_one_partial_line_keeps_nothing(tmp_path: Path) -> None:
    ran = collect(tmp_path, "command", python("import sys; sys.stderr.write('Zq' * 50000); print('out')"))
    assert ran.ok and ran.stderr_tail == ""


PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
    "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDu\n"
    "-----END PRIVATE KEY-----\n"
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("canary-7f3a\n", "token canary-7f3a sent"),  # a CI secret's trailing newline, stripped before use
        ("  canary-7f3a  ", "token canary-7f3a sent"),
        (PEM, "key line VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDu sent"),
        (PEM, "key " + " ".join(PEM.split()) + " sent"),  # a message put on one line
        (PEM, "key " + PEM + " sent"),
    ],
)
def test_a_secret_is_found_in_each_of_its_forms(value: str, shown: str) -> None:
    secrets = {"TOKEN": value}
    redacted = runner.redact(shown, secrets)
    assert redacted.startswith(("token [TOKEN]", "key [TOKEN]", "key line [TOKEN]")) and redacted.endswith(" sent")
    assert "canary" not in redacted and "VJTUt9Us8" not in redacted and "MIIEvQ" not in redacted
    assert runner.leaked(shown.encode(), secrets) == "TOKEN"


def test_a_short_line_of_a_secret_or_a_blank_value_hides_nothing() -> None:
    secrets = {"KEY": "a-long-first-line\nab\n", "BLANK": " \n"}
    assert runner.redact("ab cd", secrets) == "ab cd"
    assert runner.leaked(b"ab cd\n", secrets) is None


def test_a_secret_with_a_trailing_newline_is_redacted_from_what_the_program_says(tmp_path: Path) -> None:
    leak = "import os, sys; print('bad token', os.environ['TOKEN'].strip(), file=sys.stderr); sys.exit(1)"
    ran = collect(tmp_path, "command", python(leak), allowed_env={"TOKEN": "canary-7f3a\n"})
    assert ran.stderr_tail == "bad token [TOKEN]"


def _pem_failure(options: object, context: object) -> bytes:
    raise CollectorFailed(f"the key was refused:\n{PEM}")


def _pem_broken(options: object, context: object) -> bytes:
    raise ValueError(f"bad key\n{PEM}")


@pytest.mark.parametrize("function", [_pem_failure, _pem_broken])
def test_the_worker_redacts_a_secret_of_several_lines_before_putting_it_on_one_line(function) -> None:
    collector = Collector(name="test", summary="A test.", collect=function)
    options, context = worker._request(runner._request({}, Path("."), TODAY, None, 10))
    context = dataclasses.replace(context, env={"KEY": PEM})
    stderr = io.StringIO()
    worker._collect(collector, options, context, io.BytesIO(), stderr)
    said = stderr.getvalue()
    assert said.count("\n") == 1 and "[KEY]" in said
    assert "PRIVATE" not in said and "MIIEvQ" not in said and "VJTUt9" not in said


def test_the_worker_path_has_no_empty_or_relative_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(["", "lib", "/opt/plugins", ""]))
    monkeypatch.setattr(runner.site, "ENABLE_USER_SITE", False)
    entries = runner._worker_env({}, tmp_path, {})["PYTHONPATH"].split(os.pathsep)
    assert entries == [str(tmp_path / "lib"), "/opt/plugins"]


def test_the_worker_gets_no_pythonpath_when_the_parent_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PYTHONPATH", raising=False)
    env = runner._worker_env({"TOKEN": "canary-7f3a"}, tmp_path, {})
    assert "PYTHONPATH" not in env and env["PLAINTRUST_ALLOWED"] == "TOKEN"


@pytest.mark.parametrize("given", ["", os.pathsep, ".", f"{os.pathsep}."])
def test_an_empty_or_relative_pythonpath_does_not_let_the_repository_shadow_a_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    (tmp_path / "json.py").write_text("raise SystemExit('the repository shadowed a module')\n")
    (tmp_path / "a.json").write_text('{"a": 1}')
    monkeypatch.setenv("PYTHONPATH", given)
    ran = collect(tmp_path, "file", {"path": "a.json", "select": ["a"]})
    assert ran.ok, ran.problem


def _user_site(monkeypatch: pytest.MonkeyPatch, folder: Path, enabled: bool = True) -> None:
    monkeypatch.setattr(runner.site, "ENABLE_USER_SITE", enabled)
    monkeypatch.setattr(runner.site, "getusersitepackages", lambda: str(folder))


def test_the_worker_searches_the_user_site_packages_when_they_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "user-site"
    _user_site(monkeypatch, user)
    assert str(user) not in runner._worker_folders()  # not there: not added
    user.mkdir()
    assert runner._worker_folders()[-1] == str(user) and repr(str(user)) in runner._worker_start()
    _user_site(monkeypatch, user, enabled=False)
    assert str(user) not in runner._worker_folders()


def test_the_worker_runs_the_plaintrust_the_parent_runs() -> None:
    assert runner._worker_folders()[0] == str(Path(runner.plaintrust.__file__).resolve().parent.parent)


@pytest.mark.parametrize("module", ["json", "selectors", "pathlib"])
def test_a_standard_module_name_in_the_user_site_packages_does_not_shadow_the_standard_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    """An obsolete backport (`pathlib`) installed beside Plaintrust stays behind the standard library."""
    user = tmp_path / "user-site"
    user.mkdir()
    (user / f"{module}.py").write_text("raise SystemExit('a site-packages module shadowed the standard library')\n")
    _user_site(monkeypatch, user)
    (tmp_path / "a.json").write_text('{"a": 1}')
    ran = collect(tmp_path, "file", {"path": "a.json", "select": ["a"]})
    assert ran.ok and json.loads(ran.output) == {"a": 1}, ran.problem


PLUGIN = """
from plaintrust.collect.api import Collector
COLLECTOR = Collector(name="echoer", summary="Echoes.", collect=lambda options, context: b"echoed\\n")
"""


def test_a_collector_installed_in_the_user_site_packages_runs_in_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "user-site"
    (user / "echoer_plugin-1.0.dist-info").mkdir(parents=True)
    (user / "echoer_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: echoer-plugin\nVersion: 1.0\n"
    )
    (user / "echoer_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[plaintrust.collectors]\nechoer = echoer_plugin:COLLECTOR\n"
    )
    (user / "echoer_plugin.py").write_text(PLUGIN)
    _user_site(monkeypatch, user)
    echoer = Collector(name="echoer", summary="Echoes.", collect=_broken)  # what the parent's registry found
    real = runner.registry.find
    monkeypatch.setattr(runner.registry, "find", lambda name: echoer if name == "echoer" else real(name))
    ran = collect(tmp_path, "echoer", {})
    assert ran.ok and ran.output == b"echoed\n", ran.problem


@pytest.mark.parametrize("suffix", ["json", "/../../x.txt", ".a/b", ".", ".toolongextension1"])
def test_suffix_for_refuses_a_suffix_that_is_not_an_extension(suffix: str) -> None:
    other = Collector(name="other", summary="Another.", collect=_broken, suffix=suffix)
    assert runner.suffix_for(other, {}, None) == ".txt"


def test_options_reach_the_worker_converted_as_the_collectors_schema_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = {"type": "object", "properties": {"port": {"type": "integer"}, "verify": {"type": "boolean"}}}
    typed = Collector(name="typed", summary="Typed.", collect=_broken, options=schema)
    monkeypatch.setattr(runner.registry, "find", lambda name: typed)
    sent: list[bytes] = []

    def worker_stub(name: str, request: bytes, *rest: object) -> runner.Ran:
        sent.append(request)
        return runner.Ran(True, b"x", "", None, 0)

    monkeypatch.setattr(runner, "_worker", worker_stub)
    assert collect(tmp_path, "typed", {"port": "8443", "verify": "false", "name": "x"}).ok
    assert json.loads(sent[0])["options"] == {"port": 8443, "verify": False, "name": "x"}


def test_a_secret_that_is_not_utf8_has_a_percent_encoded_form_too() -> None:
    value = b"canary-\xff-7f3a".decode("utf-8", errors="surrogateescape")  # as os.environ gives it
    assert "canary-%FF-7f3a" in runner.forms(value)
    assert runner.leaked(b"token=canary-%FF-7f3a", {"TOKEN": value}) == "TOKEN"


def test_the_worker_imports_this_plaintrust_even_where_another_comes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "elsewhere" / "plaintrust"
    other.mkdir(parents=True)
    (other / "__init__.py").write_text("raise SystemExit('another plaintrust was imported')\n")
    monkeypatch.setenv("PYTHONPATH", str(other.parent))
    (tmp_path / "a.txt").write_text("kept\n")
    ran = collect(tmp_path, "file", {"path": "a.txt"})
    assert ran.ok and ran.output == b"kept\n", ran.problem


NOISY = """
import os, sys
from plaintrust.collect.api import Collector
print("noisy plugin loaded")
os.write(1, b"written to descriptor 1 at import\\n")

def collect(options, context):
    print("collecting now")
    sys.stdout.write("and more\\n")
    sys.__stdout__.write("even to the original stdout\\n")
    sys.__stdout__.flush()
    os.system("echo from a program it started")
    return b'{"n": 1}\\n'

COLLECTOR = Collector(name="noisy", summary="Prints.", collect=collect)
"""


def _plugin(monkeypatch: pytest.MonkeyPatch, user: Path, name: str, source: str) -> None:
    """A package in the user site-packages publishing the collector `name` from module `{name}_plugin`."""
    info = user / f"{name}_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[plaintrust.collectors]\n{name} = {name}_plugin:COLLECTOR\n")
    (user / f"{name}_plugin.py").write_text(source)
    _user_site(monkeypatch, user)
    stand_in = Collector(name=name, summary="A stand-in.", collect=_broken)  # what the parent's registry found
    real = runner.registry.find
    monkeypatch.setattr(runner.registry, "find", lambda wanted: stand_in if wanted == name else real(wanted))


def test_what_a_collector_prints_at_import_or_while_collecting_never_joins_the_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plugin(monkeypatch, tmp_path / "user-site", "noisy", NOISY)
    ran = collect(tmp_path, "noisy", {})
    assert ran.ok and ran.output == b'{"n": 1}\n', ran.problem
    for said in ("noisy plugin loaded", "descriptor 1 at import", "collecting now", "and more", "original stdout"):
        assert said in ran.stderr_tail
    assert "from a program it started" in ran.stderr_tail


def test_a_shipped_collector_keeps_clean_output_beside_a_noisy_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker loads installed packages only for a name not shipped; then too, nothing leaks."""
    _plugin(monkeypatch, tmp_path / "user-site", "noisy", NOISY)
    (tmp_path / "a.txt").write_text("kept\n")
    ran = collect(tmp_path, "file", {"path": "a.txt"})
    assert ran.ok and ran.output == b"kept\n", ran.problem


INTERRUPTED_AT_IMPORT = "raise KeyboardInterrupt\n"
INTERRUPTED = """
from plaintrust.collect.api import Collector

def collect(options, context):
    raise KeyboardInterrupt

COLLECTOR = Collector(name="halted", summary="Interrupts.", collect=collect)
"""


@pytest.mark.parametrize("source", [INTERRUPTED, INTERRUPTED_AT_IMPORT], ids=["collecting", "at-import"])
def test_a_collector_raising_keyboard_interrupt_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    _plugin(monkeypatch, tmp_path / "user-site", "halted", source)
    ran = collect(tmp_path, "halted", {})
    assert not ran.ok and ran.status == worker.BROKEN
    assert ran.problem == "the collector 'halted' broke (KeyboardInterrupt)" and ran.stderr_tail == ""


def _interrupted(options: object, context: object) -> bytes:
    raise KeyboardInterrupt


def _base(options: object, context: object) -> bytes:
    raise BaseException("deep trouble")


def _exits(options: object, context: object) -> bytes:
    raise SystemExit(5)


@pytest.mark.parametrize(
    ("function", "said"),
    [
        (_interrupted, "the collector 'test' broke (KeyboardInterrupt)"),
        (_base, "the collector 'test' broke (BaseException: deep trouble)"),
    ],
)
def test_the_worker_reports_any_base_exception_in_one_line(function, said: str) -> None:
    collector = Collector(name="test", summary="A test.", collect=function)
    options, context = worker._request(runner._request({}, Path("."), TODAY, None, 10))
    stdout, stderr = io.BytesIO(), io.StringIO()
    assert worker._collect(collector, options, context, stdout, stderr) == worker.BROKEN
    assert stderr.getvalue() == said + "\n" and stdout.getvalue() == b""


def test_a_collector_may_still_end_the_worker_with_system_exit() -> None:
    collector = Collector(name="test", summary="A test.", collect=_exits)
    options, context = worker._request(runner._request({}, Path("."), TODAY, None, 10))
    with pytest.raises(SystemExit):
        worker._collect(collector, options, context, io.BytesIO(), io.StringIO())


CERTIFICATE = """-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUQ3Ihs1Ue5hFsF7l9dJq0Tz4ZbVwwCgYIKoZIzj0EAwIw
Dm5vdC1hLXJlYWwtY2EwHhcNMjYwMTAxMDAwMDAwWhcNMjcwMTAxMDAwMDAwWjAA
-----END CERTIFICATE-----
"""


def test_pem_armour_lines_are_no_form_of_a_secret() -> None:
    """A CA bundle allowed to a collector: any certificate in the output shares its armour, not its body."""
    forms = runner.forms(CERTIFICATE)
    assert "-----BEGIN CERTIFICATE-----" not in forms and "-----END CERTIFICATE-----" not in forms
    other = b"-----BEGIN CERTIFICATE-----\nMIIBotheRcertificate\n-----END CERTIFICATE-----\n"
    assert runner.leaked(other, {"CA_BUNDLE": CERTIFICATE}) is None
    body = CERTIFICATE.splitlines()[2].encode()
    assert runner.leaked(b"copied: " + body, {"CA_BUNDLE": CERTIFICATE}) == "CA_BUNDLE"
    assert runner.redact("header -----END CERTIFICATE-----", {"CA_BUNDLE": CERTIFICATE}) == (
        "header -----END CERTIFICATE-----"
    )


def test_a_symbolic_link_at_output_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("{}")
    link = f"import os, sys; os.symlink({str(tmp_path / 'real.json')!r}, sys.argv[1])"
    ran = collect(tmp_path, "command", python(link, "{output}"))
    assert not ran.ok and ran.problem == f"the program {PY!r} put a symbolic link at {{output}}"


def test_a_program_that_ends_while_a_process_of_its_own_session_holds_its_output(tmp_path: Path) -> None:
    """The group kill cannot reach a process that started a session of its own; the time limit ends the wait."""
    code = (
        "import subprocess, sys; print(subprocess.Popen(['sleep', '5'], start_new_session=True).pid, file=sys.stderr)"
    )
    started = time.monotonic()
    ran = collect(tmp_path, "command", python(code), timeout=1)
    os.kill(int(ran.stderr_tail), 15)  # it is no child of the test's: end it here
    assert time.monotonic() - started < 3
    assert not ran.ok and ran.problem == (
        f"the program {PY!r} ended, but a process it started kept its output open until the time ran out"
    )


def test_what_python_prints_as_it_starts_never_joins_the_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sitecustomize (or a .pth file) prints before the worker runs: that goes to stderr too."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text('print("noise from start-up")\n')
    monkeypatch.setenv("PYTHONPATH", str(site))
    (tmp_path / "a.txt").write_text("kept\n")
    ran = collect(tmp_path, "file", {"path": "a.txt"})
    assert ran.ok and ran.output == b"kept\n", ran.problem
    assert "noise from start-up" in ran.stderr_tail
