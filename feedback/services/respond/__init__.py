"""A customer answering: personal and open links, drafts, and the stored response.

Published versions are parsed once per process (``published``); a link is visited,
its pages saved and the response submitted (``links``, ``responding``), with answers
stored as rows (``answer_rows``). Never imports dispatch or intake.
"""
