"""Candor's statistics: estimates with intervals, sample sizes, tests, weighting and figures.

Pure Python over counts and arrays; it never imports the web application.
"""

from analysis.compare import Comparison, Trend, adjust, compare, trend
from analysis.estimates import Estimate
from analysis.means import ces, likert, mean_score
from analysis.nps import nps
from analysis.nps_intervals import nps_weighted
from analysis.proportions import csat, proportion, response_rate
from analysis.sampling import margin_of_error, minimum_detectable_difference, sample_size

__all__ = [
    "Comparison",
    "Estimate",
    "Trend",
    "adjust",
    "ces",
    "compare",
    "csat",
    "likert",
    "margin_of_error",
    "mean_score",
    "minimum_detectable_difference",
    "nps",
    "nps_weighted",
    "proportion",
    "response_rate",
    "sample_size",
    "trend",
]
