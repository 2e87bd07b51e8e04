"""Survey design: the catalog of surveys and versions, and the designer's edits and publishing.

A survey is drafted, checked (structure and wording) and published as an immutable
version; its dispatch rule is switched on or off here. Imports no other capability.
"""
