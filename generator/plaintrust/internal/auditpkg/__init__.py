"""The Type II package: the evidence of one framework's audit period, its ledger and its gap report in
one deterministic zip with a manifest of hashes, and the check that proves it was not changed since."""
