"""Method lines, one click below each figure, in the reader's language (method_text)."""

from __future__ import annotations

import numpy as np
import pytest

import analysis
from analysis import dispersion
from analysis.control import nps_chart, p_chart
from analysis.drivers import drivers
from feedback.services.reports import method_text
from feedback.services.reports.weights import NOTE


def methods_in(block) -> set[str]:
    """Every "method" and "note" string anywhere in a results block."""
    if isinstance(block, dict):
        found = {v for k, v in block.items() if k in ("method", "note") and isinstance(v, str)}
        return found.union(*(methods_in(v) for k, v in block.items() if not isinstance(v, str)))
    if isinstance(block, list):
        return set().union(*(methods_in(v) for v in block))
    return set()


def untranslatable(methods) -> list[str]:
    return sorted({p for m in methods for p in method_text.unknown(m)})


def _every_estimator() -> set[str]:
    p1, p2 = analysis.proportion(40, 100), analysis.proportion(55, 100)
    c1 = analysis.ces([1, 2, 3, 4, 5, 4, 3] * 5, scale=5)
    c2 = analysis.ces([2, 3, 4, 5, 5, 4, 3] * 5, scale=5)
    n1 = analysis.nps(counts=[10, 0, 0, 0, 0, 0, 10, 0, 30, 0, 50])
    n2 = analysis.nps(counts=[15, 0, 0, 0, 0, 0, 10, 0, 30, 0, 45])
    tango = analysis.nps(counts=[10, 0, 0, 0, 0, 0, 10, 0, 30, 0, 50], method="tango")
    pairs = [analysis.compare(p1, p2), analysis.compare(c1, c2), analysis.compare(n1, n2)]
    months = [analysis.proportion(k, 400) for k in (200, 260, 190, 250, 230)]
    found = {e.method for e in (p1, c1, n1, tango, analysis.csat([1, 2, 3, 4, 5] * 4), *pairs)}
    found |= {c.method for c in analysis.adjust(pairs)}
    found |= {c.method for c in analysis.adjust(pairs, method="fdr_bh")}
    found |= {analysis.trend(months).method, analysis.trend(months, overdispersion="none").method}
    found.add(dispersion.widen(pairs[0], dispersion.of_estimates(months)).method)
    found.add(p_chart(list("abc"), [10, 11, 12], [100] * 3).method)
    found.add(p_chart(list("abcdefgh"), [10, 30, 12, 28, 15, 22, 18, 25], [100] * 8).method)
    found.add(nps_chart(list("ab"), [[5, 0, 0, 0, 0, 0, 5, 0, 20, 0, 20]] * 2).method)
    rng = np.random.default_rng(1)
    x = rng.integers(1, 6, size=(80, 2)).astype(float)
    found.add(drivers((x @ [1.0, 0.5] + rng.normal(0, 1, 80)).tolist(), {"a": x[:, 0], "b": x[:, 1]}).method)
    found.add(NOTE)
    return found


def test_every_method_an_estimator_writes_has_a_catalog_entry():
    assert not untranslatable(_every_estimator())


def test_a_piece_is_its_words_with_the_numbers_taken_out():
    msgid, numbers = method_text.template("adjusted Wald (Rocks 2016, +0.75/+1.5/+0.75)")
    assert msgid == "adjusted Wald (Rocks %(n1)s, %(n2)s/%(n3)s/%(n4)s)"
    assert numbers == ["2016", "+0.75", "+1.5", "+0.75"]
    assert method_text.template("OLS with HC3 robust standard errors")[1] == []  # HC3 is a name
    assert method_text.unknown("Holm adjusted; something new 3") == ["something new 3"]


@pytest.mark.parametrize(
    ("language", "script"), [("fa", "[\u0621-\u064a]"), ("ar", "[\u0621-\u064a]"), ("ru", "[\u0400-\u04ff]")]
)
def test_a_method_line_reads_in_the_staff_language_with_its_digits(app, language, script):
    import re

    line = "adjusted Wald (Rocks 2016, +0.75/+1.5/+0.75); Holm adjusted"
    with app.test_request_context("/staff/", headers={"Accept-Language": language}):
        shown = method_text.render(line)
    assert re.search(script, shown) and "Holm adjusted" not in shown
    digits = {"fa": "۲۰۱۶", "ar": "٢٠١٦", "ru": "2016"}[language]
    assert digits in shown, shown
    assert ("؛ " in shown) == (language in ("fa", "ar"))
    with app.test_request_context("/staff/", headers={"Accept-Language": "en"}):
        assert method_text.render(line) == line  # English is the analysis's own words
