"""The shape the import contracts cannot see: which modules sit where, and what tests reach into."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import feedback.services

ROOT = Path(__file__).resolve().parent.parent
SHARED = {
    "accounts",
    "audit",
    "credentials",
    "errors",
    "health",
    "persist",
    "segments",
    "sheets",
    "tokens",
    "validation",
}
CAPABILITIES = {"demo", "design", "dispatch", "insights", "intake", "reports", "respond"}


def test_services_hold_capability_packages_and_the_shared_modules_only():
    found = {m.name: m.ispkg for m in pkgutil.iter_modules(feedback.services.__path__)}
    assert {name for name, pkg in found.items() if not pkg} == SHARED
    assert {name for name, pkg in found.items() if pkg} == CAPABILITIES


def test_every_capability_says_what_it_owns():
    for name in CAPABILITIES:
        doc = importlib.import_module(f"feedback.services.{name}").__doc__
        assert doc and len(doc.split()) >= 10, name


def private_reaches(source: str, own: str) -> list[str]:
    """``from feedback.x import _y`` and ``module._y`` where the module is not of capability ``own``."""
    tree = ast.parse(source)
    home = f"feedback.services.{own}"
    imported: dict[str, str] = {}  # name bound in the test -> the feedback module it came from
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("feedback"):
            for alias in node.names:
                origin = f"{node.module}.{alias.name}"
                imported[alias.asname or alias.name] = origin
                if alias.name.startswith("_") and not node.module.startswith(home):
                    found.append(f"line {node.lineno}: {origin}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not imported[node.value.id].startswith(home)
        ):
            found.append(f"line {node.lineno}: {imported[node.value.id]}.{node.attr}")
    return found


def test_the_private_name_check_sees_both_forms():
    source = "from feedback.services import persist\nfrom feedback.services.respond import links\n"
    source += "from feedback.services.reports.results import _metric\npersist._x; links._y\n"
    assert private_reaches(source, "respond") == [
        "line 3: feedback.services.reports.results._metric",
        "line 4: feedback.services.persist._x",
    ]


def test_tests_use_public_names_of_other_capabilities():
    """A test may reach into the capability it tests (tests/<capability>/), never another."""
    offences = []
    for path in (ROOT / "tests").rglob("test_*.py"):
        own = path.relative_to(ROOT / "tests").parts[0]
        offences += [f"{path.name} {r}" for r in private_reaches(path.read_text(), own)]
    assert offences == []
