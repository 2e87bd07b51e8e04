"""What a wording check reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CODES = (
    "leading",
    "loaded",
    "double_barreled",
    "absolute",
    "double_negative",
    "agree_disagree",
    "presupposition",
    "unbalanced_scale",
    "missing_neutral",
    "jargon",
    "too_long",
)
SEVERITIES = ("error", "warning", "info")
# Errors bias the answer itself; warnings make it harder to answer well; info is advice.
DEFAULT_SEVERITY = {
    "leading": "error",
    "loaded": "error",
    "double_barreled": "error",
    "double_negative": "error",
    "presupposition": "error",
    "unbalanced_scale": "error",
    "agree_disagree": "warning",
    "absolute": "warning",
    "missing_neutral": "warning",
    "jargon": "warning",
    "too_long": "info",
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    span: tuple[int, int] | None = None
    suggestion: str | None = None
    # Set by check_question: which translation and which text of the question.
    locale: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "span": list(self.span) if self.span else None,
            "suggestion": self.suggestion,
        }
        if self.locale is not None:
            out["locale"] = self.locale
        if self.field is not None:
            out["field"] = self.field
        return out

    def excerpt(self, text: str) -> str:
        return text[self.span[0] : self.span[1]] if self.span else ""
