"""Input: a year's files, read and checked as data, each problem located.

Where the files come from (the working tree or a git revision, and the project's own
layouts folder beside the data), the strict YAML loader that keeps every value's line and
column, the one character rule's use at the door, the hints for YAML typing slips,
full-width digits, the JSON Schema checks (remembered in the user's cache), the names a
clerk knows fields by, the classification catalogue, and the year-folder rules (which
files a year may hold, how each is read and checked). Nothing here knows the model.

May import: the base modules only (compiler/*.py).
"""
