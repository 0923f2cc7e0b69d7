"""Connect to a server over TLS and keep what its certificate and the connection say.

`collect: {use: tls-certificate, with: {host: www.example.com}, every: monthly}` opens a TLS
connection to `host` (port 443 unless `port` says otherwise), checks the certificate as a browser
would (a trusted authority, the right name, in its validity dates), and keeps a JSON file:

- `subject` and `issuer`: the certificate's names, such as `O=Example Ltd, CN=www.example.com`;
- `serial`: its serial number, in hexadecimal;
- `not_before` and `not_after`: the first and last days it is valid (`YYYY-MM-DD`, UTC);
- `days_left`: the days from the collection day to `not_after`;
- `subject_alt_names`: the names and addresses it is valid for, such as `DNS:www.example.com`;
- `protocol` and `cipher`: what the connection used, such as `TLSv1.3` and `TLS_AES_256_GCM_SHA384`;
- `sha256`: the fingerprint of the certificate, as browsers show it;
- `host` and `port`: where the collector connected.

`server_name` is the name to ask the server for and check the certificate against, when it is not
`host` (a server reached by address or through another name). `ca_file` is a file of certificates
to trust instead of the usual authorities, for a server whose certificate a private authority signed.

The collection fails, and nothing is written, when the server cannot be reached in time or its
certificate cannot be trusted; the failure says why (for example an unknown authority, another
name, or an expired certificate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from plaintrust.collect.api import Collector, CollectorFailed, Context
from plaintrust.collect.select import dump

if TYPE_CHECKING:  # imported where a connection is made: `plaintrust check` only reads OPTIONS
    import ssl

_SHORT = {
    "commonName": "CN",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "countryName": "C",
    "stateOrProvinceName": "ST",
    "localityName": "L",
    "emailAddress": "E",
    "serialNumber": "SERIALNUMBER",
}

OPTIONS: Mapping[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["host"],
    "properties": {
        "host": {
            "type": "string",
            "pattern": "^[A-Za-z0-9._:-]+$",
            "description": "The server's name or address, such as www.example.com, without https:// or a path.",
        },
        "port": {
            "type": "string",
            "pattern": "^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(?!\\n)$",
            "description": "The port to connect to, a number from 1 to 65535; 443 unless given.",
        },
        "server_name": {
            "type": "string",
            "pattern": "^[A-Za-z0-9._:-]+$",
            "description": "The name to ask the server for and check the certificate against, when it is not host.",
        },
        "ca_file": {
            "type": "string",
            "minLength": 1,
            "description": "A file of certificates (PEM) to trust instead of the usual authorities, relative to the repository root.",
        },
    },
}


def _collect(options: Mapping[str, object], context: Context) -> bytes:
    host = _named("host", str(options["host"]))
    port = _port(options.get("port", "443"))
    name = _named("server_name", str(options.get("server_name") or host))
    with _connected(host, port, name, trust(options.get("ca_file"), context.root), context.timeout) as tls:
        facts = _facts(tls.getpeercert() or {}, tls.getpeercert(binary_form=True) or b"", context.today)
        facts.update(host=host, port=port, protocol=tls.version(), cipher=(tls.cipher() or ("",))[0])
    return dump(facts)


def trust(ca_file: object, root: Path) -> ssl.SSLContext:
    """What verifies a server: the usual authorities, or only those of `ca_file` (relative to `root`)."""
    import ssl

    if not ca_file:
        return ssl.create_default_context()
    path = Path(str(ca_file))
    path = path if path.is_absolute() else root / path
    if not path.is_file():
        raise CollectorFailed(f"the ca_file {ca_file} is not a file")
    try:
        return ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError) as exc:
        raise CollectorFailed(f"the ca_file {ca_file} holds no certificate Python can read: {exc}") from None


def _connected(host: str, port: int, name: str, trust: ssl.SSLContext, timeout: float) -> ssl.SSLSocket:
    import socket
    import ssl

    where = f"{host}:{port}"
    deadline = time.monotonic() + timeout
    try:
        raw = socket.create_connection((host, port), timeout=timeout)
    except TimeoutError:
        raise CollectorFailed(f"{where} did not answer within {timeout:g} seconds") from None
    except OSError as exc:
        raise CollectorFailed(f"could not connect to {where}: {exc.strerror or exc}") from None
    raw.settimeout(max(deadline - time.monotonic(), 0.01))  # the handshake gets what the connection left
    try:
        return trust.wrap_socket(raw, server_hostname=name)
    except ssl.SSLCertVerificationError as exc:
        raw.close()
        raise CollectorFailed(
            f"the certificate of {where} is not trusted: {exc.verify_message or exc.reason}"
        ) from None
    except TimeoutError:
        raw.close()
        raise CollectorFailed(f"{where} did not finish the TLS handshake within {timeout:g} seconds") from None
    except OSError as exc:  # ssl.SSLError is an OSError: no TLS there, or nothing both sides speak
        raw.close()
        raise CollectorFailed(f"the TLS handshake with {where} failed: {getattr(exc, 'reason', None) or exc}") from None


def _named(option: str, name: str) -> str:
    """The name, when the resolver and ssl can take it: checked before connecting, as ssl would
    refuse it only after taking the connection over."""
    try:
        name.encode("idna")
    except UnicodeError:  # in ASCII: an empty part (`a..b`), or one over 63 characters
        why = ": a part between dots is empty or longer than 63 characters" if name.isascii() else ""
        raise CollectorFailed(f"the {option} {name!r} is not a valid name{why}") from None
    return name


def _facts(cert: Mapping[str, object], der: bytes, today: dt.date) -> dict[str, object]:
    not_after = _day(cert.get("notAfter"))
    return {
        "subject": _name(cert.get("subject")),
        "issuer": _name(cert.get("issuer")),
        "serial": str(cert.get("serialNumber", "")).upper(),
        "not_before": _day(cert.get("notBefore")).isoformat(),
        "not_after": not_after.isoformat(),
        "days_left": (not_after - today).days,
        "subject_alt_names": [f"{kind}:{value}" for kind, value in _pairs(cert.get("subjectAltName"))],
        "sha256": ":".join(f"{byte:02X}" for byte in hashlib.sha256(der).digest()),
    }


def _name(rdns: object) -> str:
    """A certificate's name as people read it: `O=Example Ltd, CN=www.example.com` (commas escaped)."""
    parts: list[str] = []
    for rdn in rdns if isinstance(rdns, Sequence) else ():
        for key, value in _pairs(rdn):
            escaped = value.replace("\\", "\\\\").replace(",", "\\,")
            parts.append(f"{_SHORT.get(key, key)}={escaped}")
    return ", ".join(parts)


def _pairs(items: object) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in items] if isinstance(items, Sequence) else []


def _day(text: object) -> dt.date:
    # `ssl` gives dates as "Jan  1 00:00:00 2120 GMT"; cert_time_to_seconds reads exactly that form.
    import ssl

    seconds = ssl.cert_time_to_seconds(str(text))
    return dt.datetime.fromtimestamp(seconds, dt.UTC).date()


COLLECTOR = Collector(
    name="tls-certificate",
    summary="Connects to a server over TLS and keeps its certificate's names, dates and fingerprint.",
    collect=_collect,
    options=OPTIONS,
)


def _port(value: object) -> int:
    """The YAML loader reads every scalar as text: `port: 8443` arrives as "8443"."""
    text = str(value)
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < 65536:
        raise CollectorFailed(f"the port {text!r} is not a number from 1 to 65535")
    return int(text)
