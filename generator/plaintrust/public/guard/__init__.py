"""The leak guard: nothing internal, and nothing from the host, reaches the public site.

It works in two places. `check` screens every public input (plaintrust.boundary.sources): whatever a
file under `site/` or a control's `public:` fields says is read before anything is built, so a
problem has a line and a column. The build then judges the final output tree (`tree`, here), after
every plugin and hook has run, so that a theme, a plugin, a hook or a Markdown extension cannot
publish what the inputs did not hold. Both read files the same way (boundary.extract) and look for
the same values (boundary.needles, boundary.evidence).
"""
