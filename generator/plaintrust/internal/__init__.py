"""The internal side: the gap report, audit-period slots, baselines, OSCAL and the auditor's package.

Never published; it never imports plaintrust.public (an import contract holds it to that).
"""
