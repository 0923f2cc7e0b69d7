"""Evidence collectors: what `plaintrust evidence collect` runs to gather a series' next record."""
