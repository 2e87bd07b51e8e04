"""Sending surveys: invitations scheduled from purchases, the outbox and the worker.

``scheduling`` turns a purchase into invitations under each survey's dispatch rule
(sampling, fatigue, quiet hours, expiry); ``outbox`` leases due messages; ``sending``
renders them (``messages``) and hands them to the channels (SMTP, SMS); ``stats`` counts
what happened for the dispatch page.
"""
