"""What the commands do, built on the pipeline: pin, verify and scaffold evidence, list what is due, verify a published site,
start a repository, import a spreadsheet, resolve a notice. The CLI calls them; nothing here prints or exits.
"""
