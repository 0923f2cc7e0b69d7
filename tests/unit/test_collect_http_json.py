"""The `http-json` collector against local web servers: the answer kept, the token sent only where
it belongs and never kept, and every failure a sentence."""

from __future__ import annotations

import datetime as dt
import json
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

from plaintrust.collect import runner
from plaintrust.collect.api import CollectorFailed, Context
from plaintrust.collect.http_json import COLLECTOR

TLS = Path(__file__).resolve().parents[1] / "fixtures" / "tls"
TODAY = dt.date(2026, 11, 22)
CANARY = "canary-7f3c9e1b-do-not-keep"
DOCUMENT = {
    "tenant": "acme",
    "settings": {"mfa": {"required": True}},
    "policies": [{"name": "staff"}, {"name": "admins"}],
}

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Served:
    url: str
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path, headers in lower case)

    def authorizations(self) -> list[str | None]:
        return [headers.get("authorization") for _, headers in self.seen]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@contextmanager
def serve(routes: dict[str, Route], *, tls: bool = False, host: str = "127.0.0.1") -> Iterator[Served]:
    served = Served("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            routes.get(self.path, answer(404, b"{}"))(self)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    served.url = f"{'https' if tls else 'http'}://{host}:{server.server_port}"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def answer(status: int, body: bytes, kind: str = "application/json", reason: str | None = None) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status, reason)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def redirect(to: str) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def json_route(document: object = DOCUMENT) -> Route:
    return answer(200, json.dumps(document).encode())


def context(tmp_path: Path, env: dict[str, str] | None = None, timeout: float = 5.0) -> Context:
    return Context(root=tmp_path, today=TODAY, covers=None, env=env or {}, timeout=timeout)


def collect(options: dict[str, object], ctx: Context) -> object:
    return json.loads(COLLECTOR.collect(options, ctx))


def failure(options: dict[str, object], ctx: Context) -> str:
    with pytest.raises(CollectorFailed) as failed:
        COLLECTOR.collect(options, ctx)
    return str(failed.value)


def test_the_whole_answer_is_kept_with_sorted_keys(tmp_path: Path) -> None:
    with serve({"/api/policies": json_route()}) as server:
        kept = COLLECTOR.collect({"url": f"{server.url}/api/policies"}, context(tmp_path))
    assert json.loads(kept) == DOCUMENT
    assert kept == (json.dumps(DOCUMENT, sort_keys=True, indent=2) + "\n").encode()


def test_select_keeps_the_fields_named(tmp_path: Path) -> None:
    options = {"select": ["settings.mfa.required", "policies[*].name"]}
    with serve({"/api": json_route()}) as server:
        kept = collect({"url": f"{server.url}/api", **options}, context(tmp_path))
    assert kept == {"settings.mfa.required": True, "policies[*].name": ["staff", "admins"]}


def test_a_field_the_answer_lacks_fails_naming_it(tmp_path: Path) -> None:
    with serve({"/api": json_route()}) as server:
        message = failure({"url": f"{server.url}/api", "select": ["settings.sso"]}, context(tmp_path))
    assert "settings.sso" in message


def test_the_bearer_token_is_sent_and_never_kept(tmp_path: Path) -> None:
    def guarded(handler: BaseHTTPRequestHandler) -> None:
        ok = handler.headers.get("Authorization") == f"Bearer {CANARY}"
        (json_route() if ok else answer(401, b"{}"))(handler)

    options = {"token_env": "IDP_TOKEN", "headers": {"X-Tenant": "acme"}}
    with serve({"/api": guarded}) as server:
        kept = COLLECTOR.collect({"url": f"{server.url}/api", **options}, context(tmp_path, {"IDP_TOKEN": CANARY}))
    assert json.loads(kept) == DOCUMENT
    assert CANARY.encode() not in kept
    assert server.authorizations() == [f"Bearer {CANARY}"]
    assert server.seen[0][1]["x-tenant"] == "acme"


def test_no_token_is_sent_without_token_env(tmp_path: Path) -> None:
    with serve({"/api": json_route()}) as server:
        collect({"url": f"{server.url}/api"}, context(tmp_path, {"IDP_TOKEN": CANARY}))
    assert server.authorizations() == [None]


@pytest.mark.parametrize(
    ("status", "reason"), [(401, "Unauthorized"), (403, "Forbidden"), (500, "Internal Server Error")]
)
def test_an_error_status_fails_naming_it(tmp_path: Path, status: int, reason: str) -> None:
    with serve({"/api": answer(status, b'{"error": "no"}')}) as server:
        message = failure({"url": f"{server.url}/api", "token_env": "T"}, context(tmp_path, {"T": CANARY}))
    assert message == f"the server answered {status} {reason}"


def test_a_server_echoing_the_token_never_gets_it_into_the_failure(tmp_path: Path) -> None:
    def echo(handler: BaseHTTPRequestHandler) -> None:
        answer(401, b"{}", reason=f"rejected {handler.headers.get('Authorization')}")(handler)

    with serve({"/api": echo}) as server:
        message = failure(
            {"url": f"{server.url}/api", "token_env": "IDP_TOKEN"}, context(tmp_path, {"IDP_TOKEN": CANARY})
        )
    assert CANARY not in message
    assert message == "the server answered 401 rejected Bearer [IDP_TOKEN]"


@pytest.mark.parametrize("body", [b"<html>Sign in</html>", b"", b"{broken", b'{"n": NaN}'])
def test_an_answer_that_is_not_json_fails(tmp_path: Path, body: bytes) -> None:
    with serve({"/api": answer(200, body, kind="text/html")}) as server:
        assert failure({"url": f"{server.url}/api"}, context(tmp_path)) == "the answer is not JSON"


def test_a_redirect_to_another_port_does_not_carry_the_token(tmp_path: Path) -> None:
    with serve({"/landing": json_route()}) as other, serve({"/start": redirect(f"{other.url}/landing")}) as first:
        kept = collect({"url": f"{first.url}/start", "token_env": "T"}, context(tmp_path, {"T": CANARY}))
    assert kept == DOCUMENT
    assert first.authorizations() == [f"Bearer {CANARY}"]
    assert other.authorizations() == [None]


def test_a_redirect_to_another_host_name_does_not_carry_the_token(tmp_path: Path) -> None:
    def elsewhere(handler: BaseHTTPRequestHandler) -> None:  # same server, reached as "localhost"
        redirect(server.url.replace("127.0.0.1", "localhost") + "/landing")(handler)

    with serve({"/start": elsewhere, "/landing": json_route()}) as server:
        collect({"url": f"{server.url}/start", "token_env": "T"}, context(tmp_path, {"T": CANARY}))
    assert server.authorizations() == [f"Bearer {CANARY}", None]


def test_a_redirect_on_the_same_server_keeps_the_token(tmp_path: Path) -> None:
    with serve({"/start": redirect("/landing"), "/landing": json_route()}) as server:
        collect({"url": f"{server.url}/start", "token_env": "T"}, context(tmp_path, {"T": CANARY}))
    assert [path for path, _ in server.seen] == ["/start", "/landing"]
    assert server.authorizations() == [f"Bearer {CANARY}", f"Bearer {CANARY}"]


@pytest.mark.parametrize("to", ["file:///etc/passwd", "ftp://127.0.0.1/x.json", "http://user:pw@127.0.0.1/x"])
def test_a_redirect_off_http_fails(tmp_path: Path, to: str) -> None:
    with serve({"/start": redirect(to)}) as server:
        message = failure({"url": f"{server.url}/start", "token_env": "T"}, context(tmp_path, {"T": CANARY}))
    assert "which this collector does not follow" in message
    assert "pw" not in message


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:,{}", "https://user:secret@127.0.0.1/", "https://u:secret@x:no/"],
)
def test_only_http_and_https_addresses_are_asked(tmp_path: Path, url: str) -> None:
    message = failure({"url": url}, context(tmp_path))
    assert message.startswith("the address")
    assert "secret" not in message


def test_a_server_slower_than_the_time_allowed_fails_quickly(tmp_path: Path) -> None:
    release = threading.Event()

    def slow(handler: BaseHTTPRequestHandler) -> None:
        release.wait(10)
        with suppress(OSError):  # the collector has long gone
            json_route()(handler)

    with serve({"/api": slow}) as server:
        started = time.monotonic()
        try:
            message = failure({"url": f"{server.url}/api"}, context(tmp_path, timeout=0.5))
        finally:
            release.set()
        assert time.monotonic() - started < 3
    assert message == "no answer within 0.5 seconds"


def test_a_token_variable_that_is_not_set_fails_in_a_sentence(tmp_path: Path) -> None:
    with serve({"/api": json_route()}) as server:
        message = failure({"url": f"{server.url}/api", "token_env": "IDP_TOKEN"}, context(tmp_path))
        assert server.seen == []  # nothing was asked
    assert (
        message
        == "the variable IDP_TOKEN (token_env) is not set: list it under env: and set it where the collection runs"
    )


def test_an_authorization_header_in_headers_is_refused(tmp_path: Path) -> None:
    message = failure({"url": "https://127.0.0.1/", "headers": {"authorization": "Bearer x"}}, context(tmp_path))
    assert "token_env" in message


def test_https_with_a_private_authority_in_ca_file(tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "ca.pem").write_bytes((TLS / "ca.pem").read_bytes())
    with serve({"/api": json_route()}, tls=True) as server:
        kept = collect({"url": f"{server.url}/api", "ca_file": "certs/ca.pem"}, context(tmp_path))
    assert kept == DOCUMENT


def test_https_to_an_untrusted_certificate_fails(tmp_path: Path) -> None:
    with serve({"/api": json_route()}, tls=True) as server:
        message = failure({"url": f"{server.url}/api", "token_env": "T"}, context(tmp_path, {"T": CANARY}))
        assert server.seen == []  # the token never left
    assert message.startswith("the server's certificate is not trusted: ")


def test_a_missing_ca_file_fails(tmp_path: Path) -> None:
    assert failure({"url": "https://127.0.0.1/", "ca_file": "certs/none.pem"}, context(tmp_path)) == (
        "the ca_file certs/none.pem is not a file"
    )


def test_a_refused_connection_fails_in_a_sentence(tmp_path: Path) -> None:
    with serve({}) as server:
        url = f"{server.url}/api"
    assert failure({"url": url}, context(tmp_path)).startswith("the server could not be reached: ")


def test_the_options_schema_takes_an_address_and_a_token_variable() -> None:
    valid = jsonschema.Draft202012Validator(COLLECTOR.options)  # documented: see test_collect_registry
    assert valid.is_valid({"url": "https://idp.example.com/api", "token_env": "IDP_TOKEN", "select": ["a.b"]})
    for wrong in ({}, {"url": "ftp://x"}, {"url": "https://u:p@x/"}, {"url": "https://x", "token": "abc"}):
        assert not valid.is_valid(wrong), wrong
    assert not valid.is_valid({"url": "https://x", "headers": {"Accept": "a\r\nX-Evil: 1"}})


def test_through_the_worker_the_token_reaches_the_server_but_not_the_output(tmp_path: Path) -> None:
    def guarded(handler: BaseHTTPRequestHandler) -> None:
        ok = handler.headers.get("Authorization") == f"Bearer {CANARY}"
        (json_route() if ok else answer(401, b"{}"))(handler)

    with serve({"/api": guarded, "/denied": answer(403, b"{}")}) as server:
        ran = worker({"url": f"{server.url}/api", "token_env": "IDP_TOKEN", "select": ["tenant"]}, tmp_path)
        denied = worker({"url": f"{server.url}/denied", "token_env": "IDP_TOKEN"}, tmp_path)
    assert ran.ok, ran.problem
    assert json.loads(ran.output) == {"tenant": "acme"}
    assert not denied.ok
    assert denied.problem == "the server answered 403 Forbidden"
    assert CANARY not in f"{denied.stderr_tail} {denied.problem}"


def worker(options: dict[str, object], root: Path) -> runner.Ran:
    return runner.collect(
        "http-json",
        options,
        root=root,
        today=TODAY,
        covers=None,
        allowed_env={"IDP_TOKEN": CANARY},
        timeout=20,
        series="idp-policy",
    )


def raw(reply: bytes) -> Route:
    """Answers with these bytes as they are, then closes the connection."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(reply)
        handler.close_connection = True

    return route


CUT_CHUNKED = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n'
CUT_LENGTH = b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"a": 1}'
CUT = "the server's answer was cut short: it ended before all of it arrived"
NOT_HTTP = "the server did not answer in HTTP (is it a web server, and is the address's scheme and port right?)"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (CUT_CHUNKED, CUT),
        (CUT_LENGTH, CUT),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", CUT),
        (b"SSH-2.0-OpenSSH_9.6\r\n", NOT_HTTP),
        (b"", "the server closed the connection without answering"),
    ],
    ids=["chunk-cut", "length-cut", "bad-chunk", "not-http", "silent-close"],
)
def test_an_answer_that_is_not_whole_http_fails_in_a_sentence(tmp_path: Path, reply: bytes, message: str) -> None:
    with serve({"/api": raw(reply)}) as server:
        assert failure({"url": f"{server.url}/api"}, context(tmp_path)) == message


def test_json_nested_too_deeply_to_read_fails_in_a_sentence(tmp_path: Path) -> None:
    with serve({"/api": answer(200, b"[" * 100_000 + b"]" * 100_000)}) as server:
        assert (
            failure({"url": f"{server.url}/api"}, context(tmp_path)) == "the answer is JSON nested too deeply to read"
        )


def test_json_nested_too_deeply_to_write_fails_in_a_sentence(tmp_path: Path) -> None:
    with serve({"/api": answer(200, b"[" * 900 + b"]" * 900)}) as server:
        assert failure({"url": f"{server.url}/api"}, context(tmp_path)) == (
            "the values to keep are nested too deeply to write as JSON"
        )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://[::1/ok", "http://[::1/ok"),
        ("https://user:secret@[::1/ok?key=secret#x", "https://[::1/ok"),
        ("http://host:99999/", "http://host/"),
    ],
)
def test_an_address_urllib_cannot_read_fails_in_a_sentence(tmp_path: Path, url: str, shown: str) -> None:
    message = failure({"url": url}, context(tmp_path))
    assert message.startswith(f"the address {shown} is not valid: ")
    assert "secret" not in message


def test_an_address_with_a_space_fails_in_a_sentence(tmp_path: Path) -> None:
    with serve({}) as server:
        message = failure({"url": f"{server.url}/a b?token=x"}, context(tmp_path))
    assert message == f"the address {server.url}/a b holds a space or a control character, which cannot be sent"


def test_a_redirect_to_an_address_urllib_cannot_read_fails_in_a_sentence(tmp_path: Path) -> None:
    with serve({"/start": redirect("http://[::1/next")}) as server:
        message = failure({"url": f"{server.url}/start"}, context(tmp_path))
    assert message == "the server redirected to http://[::1/next, which this collector does not follow"


@pytest.mark.parametrize(
    "url",
    [
        "https://idp.example.com/api/policy",
        "http://127.0.0.1:8080/a?b=c&d=%20#top",
        "http://[::1]:65535/",
        "HTTPS://xn--bcher-kva.example/",
        "https://bücher.example/",
    ],
)
def test_the_schema_takes_an_address_urllib_reads(url: str) -> None:
    assert jsonschema.Draft202012Validator(COLLECTOR.options).is_valid({"url": url})


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1/ok",
        "http://[1.2.3.4]/",
        "http://x:65536/",
        "http://x:0/",
        "http://x:port/",
        "http:///x",
        "https://u:p@x/",
        "http://x/a b",
        "http://x/é",
        "http://x/\n",
        "http://x\n",
    ],
)
def test_the_schema_refuses_an_address_urllib_cannot_read_or_send(url: str) -> None:
    assert not jsonschema.Draft202012Validator(COLLECTOR.options).is_valid({"url": url})


@pytest.mark.parametrize("field", ["mfa..required", "a.", ".a", "a[x]", "a]b", "a[0]b", "a[0]\n", ""])
def test_the_schema_refuses_a_malformed_select_field(field: str) -> None:
    valid = jsonschema.Draft202012Validator(COLLECTOR.options)
    assert not valid.is_valid({"url": "https://x/", "select": [field]})
    assert valid.is_valid({"url": "https://x/", "select": ["settings.mfa.required", "policies[*].name", "[0]"]})
