"""Candor's statistics: estimates with intervals, sample sizes, tests and figures.

Pure Python over counts and arrays; it never imports the web application.
"""

from analysis.estimates import Estimate
from analysis.nps import nps

__all__ = ["Estimate", "nps"]
