"""What may be public, decided below both sides: the generated pages' names, public text that shows as
written (CommonMark without raw HTML, safe links), and the leak screen of every public input against the
internal values. `check` enforces it through the pipeline; the public renderers and the final-tree guard
(public/guard/) build on it. It imports neither plaintrust.public nor plaintrust.internal.
"""
