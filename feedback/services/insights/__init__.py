"""The voice of the customer: every comment collected, themed and routed to the groups that
act on it (product, quality, sales, service, management), with their dashboards and exports.

``collect`` turns open-text answers into comments and tags them (``analysis.themes``);
``comments`` is the inbox (search, filters, reading state, notes, masking); ``groups``
holds the stakeholder groups and the routing table; ``corrections`` keeps staff's say on a
comment's themes as labelled data and measures theme quality.
"""
