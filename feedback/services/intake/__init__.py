"""What comes in: customers and purchases from the API and CSV imports, and value tiers.

A purchase is validated and stored once (idempotent on its order id), its customer upserted,
and the dispatch capability is asked to schedule invitations for it.
"""
