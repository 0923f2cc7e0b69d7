"""Reading files: YAML with positions, Markdown front matter, and paths that must stay inside their folder."""
