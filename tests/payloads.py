"""Script and HTML payloads placed in every public text field of a test repository."""

from __future__ import annotations

from pathlib import Path

PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>'

TRUST = f"""\
organization: 'Org {PAYLOAD}'
tagline: 'Tagline {PAYLOAD}'
security_contact: mailto:security@test.example
categories:
  - {{id: access-control, title: 'Category {PAYLOAD}', description: 'About {PAYLOAD}'}}
certifications:
  - framework: soc2
    kind: 'Kind {PAYLOAD}'
    auditor: 'Auditor {PAYLOAD}'
    period: {{from: 2025-01-01, to: 2025-12-31}}
    certificate_number: 'No {PAYLOAD}'
    report: on-request
    request_url: https://test.example/request
documents:
  - {{title: 'Doc {PAYLOAD}', description: 'Desc {PAYLOAD}', access: nda, request_url: https://test.example/r}}
"""


def apply_payloads(repo: Path) -> None:
    """Payloads in every text of site/trust.yaml: plain text, which every page escapes."""
    (repo / "site/trust.yaml").write_text(TRUST, encoding="utf-8")


def apply_control_payloads(repo: Path) -> None:
    """Payloads in the base control's public title and summary: `check` refuses them (public-markup)."""
    path = repo / "controls/access/ac-01.yaml"
    control = path.read_text(encoding="utf-8")
    control = control.replace(
        "  category: access-control\n", f"  category: access-control\n  title: 'Practice {PAYLOAD}'\n"
    )
    control = control.replace(
        "A password alone is never enough.", f"A password alone is never enough. [click](javascript:alert(4)) {PAYLOAD}"
    )
    path.write_text(control, encoding="utf-8")
