"""The `tls-certificate` collector against a local TLS server using the fixture certificate: the
facts kept, and a certificate that cannot be trusted failing with the reason."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import jsonschema
import pytest

from plaintrust.collect import runner
from plaintrust.collect.api import CollectorFailed, Context
from plaintrust.collect.tls_certificate import COLLECTOR

TLS = Path(__file__).resolve().parents[1] / "fixtures" / "tls"
TODAY = dt.date(2026, 11, 22)

Greet = Callable[[socket.socket], None]


def handshake(conn: socket.socket) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
    with context.wrap_socket(conn, server_side=True) as tls:
        tls.recv(1)  # until the client closes


@contextmanager
def listening(greet: Greet = handshake) -> Iterator[int]:
    """A server on 127.0.0.1 that greets each connection in turn; yields its port."""
    stop = threading.Event()
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            conn.settimeout(5)
            try:
                greet(conn)
            except OSError:  # the client hung up or refused the certificate
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        server.close()


def context(tmp_path: Path, timeout: float = 5.0, today: dt.date = TODAY) -> Context:
    return Context(root=tmp_path, today=today, covers=None, env={}, timeout=timeout)


def trusted(tmp_path: Path) -> str:
    (tmp_path / "certs").mkdir(exist_ok=True)
    (tmp_path / "certs" / "ca.pem").write_bytes((TLS / "ca.pem").read_bytes())
    return "certs/ca.pem"


def failure(options: dict[str, object], ctx: Context) -> str:
    with pytest.raises(CollectorFailed) as failed:
        COLLECTOR.collect(options, ctx)
    return str(failed.value)


def fingerprint() -> str:
    der = ssl.PEM_cert_to_DER_cert((TLS / "server.pem").read_text())
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def test_the_certificate_and_connection_facts_are_kept(tmp_path: Path) -> None:
    with listening() as port:
        kept = COLLECTOR.collect({"host": "127.0.0.1", "port": port, "ca_file": trusted(tmp_path)}, context(tmp_path))
    facts = json.loads(kept)
    cipher = facts.pop("cipher")
    assert cipher and isinstance(cipher, str)
    assert facts == {
        "host": "127.0.0.1",
        "port": port,
        "subject": "O=Plaintrust Tests, CN=localhost",
        "issuer": "O=Plaintrust Tests, CN=Plaintrust Test CA",
        "serial": "2002",
        "not_before": "2020-01-01",
        "not_after": "2120-01-01",
        "days_left": (dt.date(2120, 1, 1) - TODAY).days,
        "subject_alt_names": ["DNS:localhost", "IP Address:127.0.0.1"],
        "protocol": "TLSv1.3",
        "sha256": fingerprint(),
    }
    assert list(json.loads(kept)) == sorted(facts | {"cipher": cipher})  # keys in order: the same bytes each time


def test_days_left_counts_from_the_collection_day(tmp_path: Path) -> None:
    options = {"host": "localhost", "server_name": "localhost", "ca_file": trusted(tmp_path)}
    with listening() as port:
        kept = json.loads(COLLECTOR.collect({**options, "port": port}, context(tmp_path, today=dt.date(2119, 12, 1))))
    assert kept["days_left"] == 31
    assert kept["host"] == "localhost"


def test_a_certificate_from_an_unknown_authority_is_not_trusted(tmp_path: Path) -> None:
    with listening() as port:
        message = failure({"host": "127.0.0.1", "port": port}, context(tmp_path))
    assert message.startswith(f"the certificate of 127.0.0.1:{port} is not trusted: ")
    assert "issuer" in message


def test_a_certificate_for_another_name_is_not_trusted(tmp_path: Path) -> None:
    options = {"host": "127.0.0.1", "server_name": "www.example.com", "ca_file": trusted(tmp_path)}
    with listening() as port:
        message = failure({**options, "port": port}, context(tmp_path))
    assert message.startswith(f"the certificate of 127.0.0.1:{port} is not trusted: ")
    assert "www.example.com" in message


def test_a_server_that_never_greets_fails_within_the_time_allowed(tmp_path: Path) -> None:
    release = threading.Event()

    def silent(conn: socket.socket) -> None:
        release.wait(10)

    with listening(silent) as port:
        try:
            message = failure({"host": "127.0.0.1", "port": port}, context(tmp_path, timeout=0.3))
        finally:
            release.set()
    assert message == f"127.0.0.1:{port} did not finish the TLS handshake within 0.3 seconds"


def test_a_server_that_does_not_speak_tls_fails(tmp_path: Path) -> None:
    def plain(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    with listening(plain) as port:
        message = failure({"host": "127.0.0.1", "port": port}, context(tmp_path))
    assert message.startswith(f"the TLS handshake with 127.0.0.1:{port} failed: ")


def test_a_closed_port_fails_in_a_sentence(tmp_path: Path) -> None:
    with listening() as port:
        pass
    assert failure({"host": "127.0.0.1", "port": port}, context(tmp_path)).startswith(
        f"could not connect to 127.0.0.1:{port}: "
    )


def test_the_options_schema_takes_a_host_and_a_port() -> None:
    valid = jsonschema.Draft202012Validator(COLLECTOR.options)  # documented: see test_collect_registry
    assert valid.is_valid({"host": "www.example.com", "port": "8443", "server_name": "example.com"})
    for wrong in (
        {},
        {"host": "https://www.example.com/"},
        {"host": "x", "port": "0"},
        {"host": "x", "port": 443},
        {"host": "x", "url": "y"},
    ):
        assert not valid.is_valid(wrong), wrong


def test_through_the_worker(tmp_path: Path) -> None:
    with listening() as port:
        ran = runner.collect(
            "tls-certificate",
            {"host": "127.0.0.1", "port": port, "ca_file": trusted(tmp_path)},
            root=tmp_path,
            today=TODAY,
            covers=None,
            allowed_env={},
            timeout=20,
            series="tls-www",
        )
        refused = runner.collect(
            "tls-certificate",
            {"host": "127.0.0.1", "port": port},
            root=tmp_path,
            today=TODAY,
            covers=None,
            allowed_env={},
            timeout=20,
            series="tls-www",
        )
    assert ran.ok, ran.problem
    assert json.loads(ran.output)["sha256"] == fingerprint()
    assert not refused.ok
    assert refused.problem is not None and "is not trusted" in refused.problem


@pytest.mark.parametrize("host", ["bad..host", f"{'a' * 64}.example.com"])
def test_a_host_name_that_cannot_be_looked_up_fails_in_a_sentence(tmp_path: Path, host: str) -> None:
    assert failure({"host": host}, context(tmp_path)) == (
        f"the host {host!r} is not a valid name: a part between dots is empty or longer than 63 characters"
    )


def test_a_server_name_that_cannot_be_sent_fails_in_a_sentence(tmp_path: Path) -> None:
    with listening() as port:
        message = failure({"host": "127.0.0.1", "port": port, "server_name": "bad..name"}, context(tmp_path))
    assert message == (
        "the server_name 'bad..name' is not a valid name: a part between dots is empty or longer than 63 characters"
    )
