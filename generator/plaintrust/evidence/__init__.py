"""Evidence: freshness, integrity and (later) pinning and the ledger."""
