"""The words of the composition warnings: intervals, each stratum's own direction, no causal claim."""

from __future__ import annotations

import re

from analysis.simpson import standardized_change
from feedback.services.reports import warnings as say

CAUSAL = ("not their experience", "because", "due to", "caused", "every ", "all strata", "each improved")


def counts(pro, pas, det):
    return [det] + [0] * 7 + [pas, 0, pro]


def test_a_reversal_beyond_noise_is_worded_with_both_intervals():
    # Store +6 and online +8 (phone -5) while answers move online: about 3,000 answers a period.
    before = {
        "store": counts(2240, 960, 800),
        "online": counts(240, 400, 360),
        "phone": counts(360, 240, 200),
    }
    after = {
        "store": counts(600, 220, 180),
        "online": counts(1320, 2160, 1520),
        "phone": counts(160, 140, 100),
    }
    result = standardized_change(before, after)
    warning = say.composition("channel", result)
    assert warning["code"] == "simpson_reversal" and warning["by"] == "channel"
    message = warning["message"]
    assert message.count("held fixed") == 1 and message.count("moved") == 2
    # Both changes carry their interval, in the metric's own points.
    assert re.search(r"moved -\d+\.\d \(95% CI -\d+\.\d to -\d+\.\d\)", message), message
    assert re.search(r"it moved \+\d+\.\d \(\+\d+\.\d to \+\d+\.\d\)", message), message
    # Each stratum's own direction, whichever way it went (phone fell).
    own = re.search(r"Each channel on its own: (.*)\.$", message).group(1)
    assert re.fullmatch(r"(\w+ [+-]\d+\.\d, ){2}\w+ [+-]\d+\.\d", own), own
    assert "phone -" in own and "store +" in own and "online +" in own
    assert not any(phrase in message for phrase in CAUSAL), message
    assert warning["adjusted_low"] < warning["adjusted_change"] < warning["adjusted_high"]


def test_a_mix_shift_within_noise_says_so_and_is_not_a_reversal():
    # The statistician's example: gold 70 -> 68 and basic 0 -> +3, gold from 50% to 20% of answers.
    before = {"gold": counts(185, 55, 10), "basic": counts(75, 100, 75)}
    after = {"gold": counts(74, 20, 6), "basic": counts(126, 160, 114)}
    warning = say.composition("tier", standardized_change(before, after))
    assert warning["code"] == "mix_shift"
    message = warning["message"]
    assert "The tier mix changed" in message and "gold went from 50% to 20% of answers" in message
    assert re.search(r"like for like.*moved \+1\.\d \(-\d+\.\d to \+\d+\.\d\)", message), message
    assert "not distinguishable from zero" in message
    assert "Each tier on its own: gold -2.0, basic +3.0." in message
    assert not any(phrase in message for phrase in CAUSAL), message


def test_nothing_to_say_when_the_mix_holds_still():
    before = {"a": counts(50, 30, 20), "b": counts(40, 30, 30)}
    after = {"a": counts(55, 30, 15), "b": counts(45, 30, 25)}
    assert say.composition("region", standardized_change(before, after)) is None
