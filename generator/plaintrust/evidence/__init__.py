"""Evidence: freshness, integrity, hashing, pinning, the ledger, verification and what is due."""
