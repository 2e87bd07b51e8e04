"""Reports: SQL aggregates handed to ``analysis``, and everything built on their results.

``aggregates`` is the query layer (counts per score and segment, the invited population);
``results`` is the one function every figure comes from (API, CLI, dashboard);
``dashboard`` adds the figures, ``exports`` the raw responses, ``planning`` the sample-size
planner. Reads what the other capabilities stored; never imports respond, dispatch or intake.
"""
