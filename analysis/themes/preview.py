"""What a rule change would do: which comments it would tag, untag or tag differently."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One comment whose tags differ between two rule sets (codes with their polarity)."""

    index: int
    text: str
    before: tuple[tuple[str, str], ...]
    after: tuple[tuple[str, str], ...]

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(sorted({c for c, _ in self.after} - {c for c, _ in self.before}))

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(sorted({c for c, _ in self.before} - {c for c, _ in self.after}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "before": [list(t) for t in self.before],
            "after": [list(t) for t in self.after],
            "added": list(self.added),
            "removed": list(self.removed),
        }

    def summary(self) -> str:
        def show(tags):
            return ", ".join(f"{c} ({p})" for c, p in tags) or "untagged"

        return f"#{self.index}: {show(self.before)} -> {show(self.after)}  {self.text[:60]}"


@dataclass(frozen=True)
class RulePreview:
    """The effect of replacing one rule set by another on a list of comments."""

    lang: str
    comments: int
    changes: tuple[Change, ...]

    @property
    def newly_tagged(self) -> tuple[int, ...]:
        """Comments untagged before that the new rules tag."""
        return tuple(c.index for c in self.changes if not c.before and c.after)

    @property
    def untagged(self) -> tuple[int, ...]:
        """Comments tagged before that the new rules leave untagged."""
        return tuple(c.index for c in self.changes if c.before and not c.after)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "comments": self.comments,
            "changed": len(self.changes),
            "newly_tagged": list(self.newly_tagged),
            "untagged": list(self.untagged),
            "changes": [c.to_dict() for c in self.changes],
        }

    def summary(self) -> str:
        lines = [
            f"Rule change preview ({self.lang}): {len(self.changes)} of {self.comments} comments change",
            f"newly tagged {len(self.newly_tagged)}, untagged {len(self.untagged)}",
            "=" * 44,
        ]
        lines += [c.summary() for c in self.changes]
        return "\n".join(lines)


def preview(rules_before, rules_after, comments: Sequence[str]) -> RulePreview:
    """Tag ``comments`` with both rule sets (of one language) and report every difference.

    Examples
    --------
    >>> from analysis.themes.ruleset import load_rules
    >>> before = load_rules("en")
    >>> after = load_rules("en", {"themes": {"product_defect": {"complaint": ["squeaks"]}}})
    >>> p = preview(before, after, ["the trolley squeaks", "great staff"])
    >>> p.newly_tagged, p.changes[0].added
    ((0,), ('product_defect',))
    """
    from analysis.themes.tagger import tag

    if rules_before.lang != rules_after.lang:
        raise ValueError(
            f"both rule sets must be for one language, got {rules_before.lang} and {rules_after.lang}"
        )
    changes = []
    for i, text in enumerate(comments):
        before = _key(tag(text, rules_before.lang, rules=rules_before))
        after = _key(tag(text, rules_after.lang, rules=rules_after))
        if before != after:
            changes.append(Change(i, text, before, after))
    return RulePreview(rules_after.lang, len(comments), tuple(changes))


def _key(tags) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({(t.code, t.polarity) for t in tags}))
