"""Use cases, one package per capability, between the blueprints and the models.

- ``design``: surveys and their versions, from draft to published.
- ``intake``: customers and purchases coming in (API, CSV imports) and value tiers.
- ``dispatch``: invitations scheduled from purchases, and the worker that sends them.
- ``respond``: a customer's personal or open link, from first visit to stored answers.
- ``reports``: SQL aggregates handed to ``analysis``, results, the dashboard and exports.
- ``insights``: the voice of the customer: comments and their themes, stakeholder groups and
  their dashboards, and exports as files.
- ``demo``: the demo company, a data generator rather than a use case.

The modules at this level are shared by every capability: transactions (``persist``),
domain errors, the audit log, tokens, input validation, segment fields, staff accounts and
their credentials (password rules, lockout, one-time codes), spreadsheet files (``sheets``:
CSV and XLSX, formula-safe), and the health check. They
import no capability package. docs/architecture.md draws the packages and their rules.
"""
