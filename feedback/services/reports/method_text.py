"""The method lines one click below a figure, in the reader's language.

``analysis`` writes each method in English, as pieces joined by "; " ("adjusted Wald (Rocks
2016, +0.75/+1.5/+0.75)", "Holm adjusted"), with the figures of that analysis inside them;
the API and the CLI's JSON show it so. A staff page shows it through :func:`render`: each
piece, its numbers taken out, is looked up in ``PIECES``, whose msgids the catalogs
translate, and the numbers go back in the reader's digits. A piece not in ``PIECES`` stays
English; ``tests/reports/test_method_text.py`` builds reports and runs every estimator, and
fails on a method piece that is missing here.
"""

from __future__ import annotations

import re

from flask_babel import gettext

from feedback import formats
from feedback.services.reports import figure_text


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction; it is translated when rendered, not here."""
    return msgid


# A number not glued to a word ("HC3" stays), with its sign and decimals: "+0.75", "1.18", "2016".
NUMBER = re.compile(r"(?<![\w%])[+\-\u2212]?\d+(?:[.,]\d+)*")
PIECES = frozenset(
    (
        N_("%(n1)s%% percentile bootstrap intervals (%(n2)s draws, seed %(n3)s)"),
        N_("Benjamini-Hochberg adjusted"),
        N_(
            "EWMA chart (Roberts %(n1)s), lam and L after Lucas & Saccucci (%(n2)s), "
            "exact time-varying limits"
        ),
        N_(
            "Fisher's exact test, one-sided (excess of top scores against the rest), Holm-adjusted "
            "across segments"
        ),
        N_("Holm adjusted"),
        N_("Laney chart: %(n1)s-sigma limits widened by sigma_z = %(n2)s (Laney %(n3)s)"),
        N_("OLS with HC3 robust standard errors"),
        N_("Raked to the invited customers' mix and trimmed"),
        N_("Shewhart chart, %(n1)s-sigma limits from the pooled rate and each period's n"),
        N_("Student t"),
        N_("Tango score interval (iterative)"),
        N_("Taylor-linearised variance (with-replacement design)"),
        N_(
            "Taylor-linearised variances per stratum and period (Woodruff %(n1)s), combined by the "
            "delta method (Fleiss, Levin & Paik %(n2)s, ch. %(n3)s)"
        ),
        N_("Wald intervals"),
        N_("Welch t test"),
        N_("Wilson score"),
        N_("Wilson score, top %(n1)s of %(n2)s"),
        N_("adjusted Wald (Rocks %(n1)s, %(n2)s/%(n3)s/%(n4)s)"),
        N_("delta-method interval (Fleiss, Levin & Paik %(n1)s, ch. %(n2)s)"),
        N_("difference of NPS on adjusted counts (Rocks %(n1)s), z test"),
        N_(
            "difference of proportions: Newcombe hybrid score interval (method %(n1)s), "
            "p-value by inverting it"
        ),
        N_("difference of weighted estimates, linearised variances, z test"),
        N_("direct standardisation on the pooled stratum mix"),
        N_("importance by LMG (Shapley) decomposition of R^%(n1)s"),
        N_("importance by LMG (Shapley) decomposition of R^%(n1)s from pairwise correlations"),
        N_(
            "intervals by Taylor linearisation (with-replacement design, weights taken as fixed). "
            "%(n1)s answers fall in a group no invitation has and are left out."
        ),
        N_("intervals by Taylor linearisation (with-replacement design, weights taken as fixed)."),
        N_("no weight above %(n1)s times the median"),
        N_("proportional-odds logit (statsmodels OrderedModel, McCullagh %(n1)s)"),
        N_(
            "quasi-likelihood: weighted least squares on period estimates, slope variance times the "
            "dispersion ratio (Wedderburn %(n1)s), t test on periods - %(n2)s df"
        ),
        N_("raking (iterative proportional fitting)"),
        N_("the two estimates are taken as independent samples (different respondents)"),
        N_("variances times the dispersion ratio %(n1)s"),
        N_("weighted"),
        N_("weighted direct standardisation on the pooled weighted stratum mix"),
        N_("weighted least squares on period estimates (weights %(n1)s/SE^%(n2)s), z test on the slope"),
    )
)


def template(piece: str) -> tuple[str, list[str]]:
    """``piece`` as a msgid, its numbers as %(n1)s, %(n2)s, ..., and the numbers in order."""
    numbers: list[str] = []

    def hole(match: re.Match) -> str:
        numbers.append(match.group(0))
        return f"%(n{len(numbers)})s"

    return NUMBER.sub(hole, piece.replace("%", "%%")), numbers


def unknown(method: str) -> list[str]:
    """The pieces of ``method`` that :func:`render` would leave in English."""
    return [p for p in method.split("; ") if template(p)[0] not in PIECES]


def render(method: str | None) -> str:
    """``method`` in the current reader's language, piece by piece."""
    if not method:
        return ""
    if figure_text.language() == "en":
        return method  # the analysis's own words
    locale = figure_text.reader_locale()
    out = []
    for piece in method.split("; "):
        msgid, numbers = template(piece)
        if msgid not in PIECES:
            out.append(piece)
            continue
        values = {f"n{i}": _number(n, locale) for i, n in enumerate(numbers, start=1)}
        out.append(gettext(msgid, **values))
    return ("\u061b " if figure_text.is_rtl() else "; ").join(out)


def _number(text: str, locale: str) -> str:
    """A number of a method line in the reader's digits and decimal sign; a signed one kept
    in a left-to-right isolate, so right-to-left text cannot move its sign."""
    sign = text[0] if text[0] in "+-\u2212" else ""
    body = text[len(sign) :]
    if "." in body:
        written = formats.decimal(float(body), locale, len(body.split(".")[1]))
    else:
        written = formats.digits(body, locale)
    if not sign:
        return written
    signed = ("+" if sign == "+" else formats.MINUS) + written
    return f"\u2066{signed}\u2069" if figure_text.is_rtl() else signed
