"""`plaintrust impact`: what a change does to controls, gap status, public claims and evidence.

`refs` turns the command's range into two sides (a commit, or the working tree), fetching the
base into a shallow clone when asked; `sides` reads each side through the pipeline on one day;
`compare` (and `claims` for what customers see) makes the `report.Impact`; `render` writes it as
text, Markdown (a pull-request comment), JSON or GitHub annotations.
"""
