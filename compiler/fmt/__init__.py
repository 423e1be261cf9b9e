"""Fmt: `disclosure fmt` — a data file in canonical form, without changing a fact.

`formatter` runs the steps on one file: repairs of YAML typed with a Chinese input
method, made on the text before parsing (`text`, using `spans` to tell text from
syntax), then a round-trip tree (`roundtrip`: ruamel.yaml keeps comments, quoting and
block scalars) whose values are repaired and whose keys are put in the schema's order
with the schema's help (`tree`, `order`, `schema`), the canonical layout's finishing
touches (`layout`), and the proof that no fact changed: the strict loader reads the same
data before and after (`check`). Imported only by the fmt command.

May import: input.
"""
