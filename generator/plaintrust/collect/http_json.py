"""Ask a web service for a JSON document and keep it, whole or some of its fields.

`collect: {use: http-json, with: {url: https://idp.example.com/api/policy, token_env: IDP_TOKEN}, env: [IDP_TOKEN], every: monthly}`
sends one `GET` request to `url` (an `http://` or `https://` address) and keeps the answer as a
JSON file with sorted keys, so two collections of the same answer give the same bytes.

- `token_env` names the variable holding an access token; it is sent as `Authorization: Bearer <token>`.
  The variable must also be listed under `env:`, and set where the collection runs (a CI secret).
  The token never appears in a failure message, and an answer that holds it fails the collection
  rather than being kept.
- `headers` adds other request headers, such as `Accept`. They are written in the record's YAML, so
  never put a secret there: `Authorization`, `Cookie` and `Proxy-Authorization`, in any letter
  case, are refused (`plaintrust check` says so); use `token_env`.
- `select` keeps only the fields named, each a dotted path with list positions or `[*]` for every
  item (`settings.mfa.required`, `policies[*].name`). A field the answer does not have fails the
  collection, so a change in the service's answer is noticed. A key holding `.`, `[` or `]`, and a
  key that is only `*`, cannot be selected: keep the whole answer instead.
- `ca_file` is a file of certificates to trust instead of the usual authorities, for a service
  whose certificate a private authority signed.

A redirect to the same scheme, host and port is followed with the token; a redirect anywhere else
(another host or port, or from `https://` to `http://`) is followed without it, and a redirect to
an address that is not `http://` or `https://` fails.

The collection fails, and nothing is written, when the service does not answer in time, answers
with a status of 400 or more (the status is shown), or answers with something that is not JSON
(or JSON nested more deeply than it can be read). An answer cut short, or one that is not HTTP
at all, fails too.

`plaintrust check` refuses an address that cannot be sent. The host is a name or an address; an
IPv6 address goes in brackets (`http://[::1]:8080/`). A port is a number from 1 to 65535. In the
path, percent-encode spaces and characters outside ASCII (`%20` for a space).
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Mapping
from contextlib import suppress
from typing import IO, TYPE_CHECKING, Any

from plaintrust.collect.api import Collector, CollectorFailed, Context
from plaintrust.collect.select import FIELD, dump, select
from plaintrust.collect.tls_certificate import trust

if TYPE_CHECKING:  # imported where a request is sent: `plaintrust check` only reads OPTIONS
    import http.client
    import ssl
    import urllib.request

MAX_ANSWER = 32 * 1024 * 1024  # bytes, as for a program's output
_CHUNK = 64 * 1024
_SCHEMES = ("http", "https")
_SECRET_HEADERS = ("authorization", "cookie", "proxy-authorization")  # credentials: never written in a record
_CUT = "the server's answer was cut short: it ended before all of it arrived"
_UNREAD = re.compile(r"//[^/?#]*@")  # the user name and password of an address urllib cannot read


# What urllib reads and http.client sends: a host (a name, or an IPv6 address in brackets), a port
# from 1 to 65535, and a path of printable ASCII. No user name or password: `@` is no host character.
_HOST = r"(\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]|[A-Za-z0-9._~!$&'()*+,;=%\u0080-\uffff-]+)"
_PORT = "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
URL = rf"^[hH][tT][tT][pP][sS]?://{_HOST}(:{_PORT})?([/?#][!-~]*)?(?!\n)$"


def _any_case(word: str) -> str:
    """A pattern for `word` in any letter case, as character classes: editors apply it too."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


OPTIONS: Mapping[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["url"],
    "properties": {
        "url": {
            "type": "string",
            "pattern": URL,
            "description": (
                "The address to ask, starting with https:// (or http://). No user name or password in it: "
                "use token_env. Percent-encode spaces and characters outside ASCII in the path (%20 for a space)."
            ),
        },
        "token_env": {
            "type": "string",
            "pattern": "^[A-Z_][A-Z0-9_]*$",
            "description": "The name of the variable holding the access token, sent as a bearer token. List it under env: too.",
        },
        "headers": {
            "type": "object",
            "propertyNames": {
                "pattern": "^[A-Za-z0-9-]+$",
                "not": {"pattern": f"^({'|'.join(map(_any_case, _SECRET_HEADERS))})$"},
                "description": (
                    "A header's name: letters, digits and '-'. Not Authorization, Cookie or "
                    "Proxy-Authorization: they hold secrets, so name the token's variable in token_env."
                ),
            },
            "additionalProperties": {
                "type": "string",
                "pattern": "^[^\\r\\n]*$",
                "description": "A header's value: text on one line.",
            },
            "description": "More request headers, name: value, such as Accept. Never a secret: they are written in the record.",
        },
        "select": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": FIELD,
            "description": (
                "The fields to keep, each a dotted path such as settings.mfa.required or policies[*].name. "
                "Without it the whole answer is kept. A key holding '.', '[' or ']', or a key that is only '*', "
                "cannot be selected."
            ),
        },
        "ca_file": {
            "type": "string",
            "minLength": 1,
            "description": "A file of certificates (PEM) to trust instead of the usual authorities, relative to the repository root.",
        },
    },
}


def _collect(options: Mapping[str, object], context: Context) -> bytes:
    import urllib.request  # with http.client and ssl: slow to import, and needed only here

    url = str(options["url"])
    origin = _origin(url)
    token_env = options.get("token_env")
    token = _token(str(token_env), context) if token_env else None
    request = urllib.request.Request(url, method="GET", headers=_headers(options.get("headers")))
    if token is not None:
        request.add_unredirected_header("Authorization", f"Bearer {token}")  # never copied on a redirect
    try:
        body = _fetch(request, origin, token, context, trust(options.get("ca_file"), context.root))
    except CollectorFailed as failed:
        raise CollectorFailed(_redacted(str(failed), token, str(token_env))) from None
    data = _json(body)
    fields = options.get("select")
    return dump(select(data, list(fields)) if isinstance(fields, list) else data)


def _origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an address this collector may ask; CollectorFailed for any other."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise CollectorFailed(f"the address {_shown(url)} is not valid: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or not parts.hostname:
        raise CollectorFailed(f"the address {_shown(url)} is not an http:// or https:// address")
    if parts.username is not None or parts.password is not None:
        raise CollectorFailed(
            "the address holds a user name or password: put the token in a variable named by token_env"
        )
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


def _token(name: str, context: Context) -> str:
    token = context.env.get(name)
    if token is None:
        raise CollectorFailed(
            f"the variable {name} (token_env) is not set: list it under env: and set it where the collection runs"
        )
    if not token.strip():
        raise CollectorFailed(f"the variable {name} (token_env) is empty")
    return token.strip()


def _headers(given: object) -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": "plaintrust-collect"}
    for name, value in (given if isinstance(given, Mapping) else {}).items():
        if str(name).lower() in _SECRET_HEADERS:
            raise CollectorFailed(
                f"the header {name} may not be written in headers: name the token's variable in token_env"
            )
        headers[str(name)] = str(value)
    return headers


def _fetch(
    request: urllib.request.Request,
    origin: tuple[str, str, int],
    token: str | None,
    context: Context,
    tls: ssl.SSLContext,
) -> bytes:
    import http.client
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=tls), _redirects(origin, token))
    deadline = time.monotonic() + context.timeout
    try:
        with opener.open(request, timeout=context.timeout) as answer:
            return _read(answer, deadline, context.timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise CollectorFailed(f"the server answered {exc.code} {exc.reason}".rstrip()) from None
    except urllib.error.URLError as exc:
        raise CollectorFailed(_unreached(exc.reason, context.timeout)) from None
    except http.client.HTTPException as exc:  # before OSError: a server closing early is both
        raise CollectorFailed(_not_http(exc, request.full_url)) from None
    except (TimeoutError, OSError) as exc:  # a timeout or reset while reading the answer
        raise CollectorFailed(_unreached(exc, context.timeout)) from None
    except ValueError as exc:  # http.client refuses a header or address with line breaks
        raise CollectorFailed(f"the request could not be sent: {exc}") from None


def _read(answer: IO[bytes], deadline: float, timeout: float) -> bytes:
    # The socket timeout bounds each wait; the deadline bounds a server that trickles its answer.
    chunks: list[bytes] = []
    size = 0
    while chunk := answer.read(_CHUNK):
        size += len(chunk)
        if size > MAX_ANSWER:
            raise CollectorFailed("the answer is larger than 32 MiB")
        if time.monotonic() > deadline:
            raise CollectorFailed(f"the answer did not arrive within {timeout:g} seconds")
        chunks.append(chunk)
    if getattr(answer, "length", None):  # bytes its Content-Length promised that never came
        raise CollectorFailed(_CUT)
    return b"".join(chunks)


def _not_http(exc: Exception, url: str) -> str:
    """What an answer http.client cannot read means, or why it would not send the request."""
    import http.client

    if isinstance(exc, http.client.IncompleteRead):
        return _CUT
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, http.client.InvalidURL):
        return f"the address {_shown(url)} holds a space or a control character, which cannot be sent"
    return "the server did not answer in HTTP (is it a web server, and is the address's scheme and port right?)"


def _unreached(reason: object, timeout: float) -> str:
    import ssl

    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} seconds"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"the server's certificate is not trusted: {reason.verify_message or reason.reason}"
    text = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
    return f"the server could not be reached: {text}"


def _json(body: bytes) -> Any:
    try:
        return json.loads(body, parse_constant=_not_json)  # NaN and Infinity are not JSON
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError is a ValueError
        raise CollectorFailed("the answer is not JSON") from None
    except RecursionError:
        raise CollectorFailed("the answer is JSON nested too deeply to read") from None


def _not_json(word: str) -> object:
    raise ValueError(word)


def _redacted(message: str, token: str | None, name: str) -> str:
    return message.replace(token, f"[{name}]") if token else message


def _redirects(origin: tuple[str, str, int], token: str | None) -> urllib.request.HTTPRedirectHandler:
    """Follows a redirect, with the token only back to where it was meant for."""
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        def http_error_302(
            self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: http.client.HTTPMessage
        ) -> object:
            _refuse_elsewhere(req.full_url, fp, headers)
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

        def redirect_request(
            self,
            req: urllib.request.Request,
            fp: IO[bytes],
            code: int,
            msg: str,
            headers: http.client.HTTPMessage,
            newurl: str,
        ) -> urllib.request.Request | None:
            follow = super().redirect_request(req, fp, code, msg, headers, newurl)
            if follow is not None and token is not None and _origin(newurl) == origin:
                follow.add_unredirected_header("Authorization", f"Bearer {token}")
            return follow

    return Redirects()


def _refuse_elsewhere(url: str, fp: IO[bytes], headers: http.client.HTTPMessage) -> None:
    """A redirect to an address that is not http:// or https:// fails the collection."""
    location = headers.get("location") or headers.get("uri") or ""
    try:
        newurl = urllib.parse.urljoin(url, location)
    except ValueError:  # an address urllib cannot read: _origin refuses it as it is
        newurl = location
    try:
        _origin(newurl)
    except CollectorFailed:
        fp.close()  # urllib closes it only when the redirect is followed
        raise CollectorFailed(
            f"the server redirected to {_shown(newurl)}, which this collector does not follow"
        ) from None


def _shown(url: str) -> str:
    """An address for a message: without a user name, password or query it may carry."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # one urllib cannot read (`http://[::1/`): cut by hand
        return _UNREAD.sub("//", url).split("?")[0].split("#")[0]
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    with suppress(ValueError):  # a port that is not a number is left out
        host += f":{parts.port}" if parts.port else ""
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


COLLECTOR = Collector(
    name="http-json",
    summary="Asks a web service for a JSON document and keeps it, whole or the fields selected.",
    collect=_collect,
    options=OPTIONS,
)
