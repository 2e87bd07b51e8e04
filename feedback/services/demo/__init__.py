"""The demo company: customers, a year of purchases and answers with planted findings.

A data generator for ``make serve`` and the tests, not a use case; it builds its data
through the design capability and writes the rest in bulk.
"""

from feedback.services.demo.company import DemoSummary, is_loaded, load, open_link
from feedback.services.demo.staff import DEMO_PASSWORD, DEMO_USERS, GROUP_USERS

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "GROUP_USERS", "DemoSummary", "is_loaded", "load", "open_link"]
