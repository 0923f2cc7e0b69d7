"""Renderers read the model (never files): the public trust center and the internal gap report."""
