"""Evidence primitives: freshness states, hashing, the stat cache, the ledger and record edits.

The commands built on them (pin, verify, what is due, new records) are in plaintrust.actions.
"""
