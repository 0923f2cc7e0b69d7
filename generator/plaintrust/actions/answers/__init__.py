"""`plaintrust answers export` and `plaintrust answers fill`: the answer library sent to customers."""
