"""Every string a customer or a staff member can see is translated into Persian, Arabic and Russian.

The strings are extracted from the sources as `make translations` does (babel.cfg), so a
new string without its translations fails here, not in a customer's inbox. A second check
reads the staff templates themselves: English typed straight into the markup is never
extracted, so it is found by walking each template's syntax tree instead.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import nodes

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "feedback" / "translations"
LOCALES = ["fa", "ar", "ru"]
# What a customer sees: respondent pages, invitation e-mails and SMS, the question macros.
CUSTOMER_FACING = (
    "templates/respond/",
    "templates/email/",
    "templates/macros/questions.html",
    "feedback/web/respond/",
    "feedback/services/dispatch/messages.py",
)
# API problem+json messages stay English by contract; everything else is shown to people.
ENGLISH_ONLY = ("feedback/web/api/",)
STAFF_TEMPLATES = ("staff/*.html", "staff_email/*", "base.html", "errors/*.html", "macros/forms.html")


@functools.cache
def _extracted() -> dict[str, tuple[str, ...]]:
    """msgid -> the files it comes from, for every marked string, extracted with babel.cfg,
    leaving out the API, whose messages are English by contract."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, tuple[str, ...]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map):
        if filename.startswith(ENGLISH_ONLY):
            continue
        msgid = message[0] if isinstance(message, tuple) else message
        found[msgid] = (*found.get(msgid, ()), filename)
    return found


def _untranslated(locale: str, msgids: dict[str, tuple[str, ...]]) -> list[str]:
    with (CATALOGS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    missing = []
    for msgid, sources in msgids.items():
        entry = catalog.get(msgid)
        strings = entry.string if entry is not None else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(values):
            missing.append(f"{sources[0]}: {msgid!r}")
    return missing


def test_the_customer_facing_sources_are_extracted():
    found = _extracted()
    assert "templates/email/invitation.txt" in found["Open the survey:"]  # the plain-text mail
    assert "Submit" in found and "Please answer this question." in found


def test_the_staff_sources_are_extracted():
    found = _extracted()
    assert found["Sign out"] == ("templates/staff/layout.html",)
    assert "templates/staff_email/digest.txt" in found["Stop these digests"]
    assert "templates/staff/surveys.html" in found["v%(number)s"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_customer_facing_string_is_translated(locale):
    customer = {m: s for m, s in _extracted().items() if any(f.startswith(CUSTOMER_FACING) for f in s)}
    missing = _untranslated(locale, customer)
    assert missing == [], f"{len(missing)} strings lack a {locale} translation"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_staff_string_is_translated(locale):
    missing = _untranslated(locale, _extracted())
    assert missing == [], f"{len(missing)} strings lack a {locale} translation:\n" + "\n".join(missing)


# --- English typed into the staff templates -------------------------------------------------

# Words that stay as they are in every language: metric and file-format names, the
# product's own name, and the statistical symbols n, p and R.
ALLOWED = {"NPS", "CSAT", "CES", "CSV", "XLSX", "PNG", "API", "URL", "JSON", "UTC"}
ALLOWED |= {"Candor", "Excel", "n", "p", "R"}
TRANSLATORS = {"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext"}
# Macro arguments that the macro prints (forms.field's help); others are ids and autocomplete tokens.
TEXT_ARGUMENTS = {"help", "label", "title", "caption", "placeholder", "legend", "hint", "empty"}
READABLE = {"title", "aria-label", "placeholder", "alt"}
# Filters whose output still holds the words of their input.
PASS_THROUGH = {"format", "e", "escape", "safe", "upper", "capitalize", "title"}
HOLE = "\u2063"  # stands for one {{ expression }} in the flattened page; not a letter
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Not prose: comments, scripts, styles, and names typed as code (column names, commands).
HIDDEN = re.compile(r"<!--.*?-->|<(script|style|code|kbd|samp)\b[^>]*>.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"<[A-Za-z/!][^>]*>")
ENTITY = re.compile(r"&#?\w+;")
FORMAT_FIELD = re.compile(r"%(\([^)]*\))?[-+ #0]*\d*(\.\d+)?[sdifeEgGxXr%]|\{[^{}]*\}")
ATTRIBUTE = re.compile(r"([\w:-]+)\s*=\s*\"([^\"]*)\"")


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(ENTITY.sub(" ", text)) if w not in ALLOWED]


class _Page:
    """A template flattened to its markup, with a hole per expression, and the text each hole may print."""

    def __init__(self, tree: nodes.Template, skipped_blocks: frozenset[str] = frozenset()):
        self.text, self.lines, self.holes = "", [], []  # holes: (offset, lineno, [printed Const])
        self.blocks: list[tuple[str, int]] = []  # where each {% block %} starts in the flattened text
        self.skipped = skipped_blocks
        self.macros = {n.name for n in tree.find_all(nodes.Macro)}
        self.macros |= {
            n if isinstance(n, str) else n[1] for i in tree.find_all(nodes.FromImport) for n in i.names
        }
        self.names: dict[str, list[nodes.Expr]] = {}
        for assign in tree.find_all(nodes.Assign):
            if isinstance(assign.target, nodes.Name):
                self.names.setdefault(assign.target.name, []).append(assign.node)
        for loop in tree.find_all(nodes.For):
            self._bind(loop.target, loop.iter)
        self._walk(tree)

    def _bind(self, target: nodes.Node, values: nodes.Node) -> None:
        items = values.items if isinstance(values, (nodes.List, nodes.Tuple)) else []
        if isinstance(target, nodes.Name):
            self.names.setdefault(target.name, []).extend(items)
        elif isinstance(target, nodes.Tuple):
            for i, name in enumerate(target.items):
                parts = [x.items[i] for x in items if isinstance(x, nodes.Tuple) and len(x.items) > i]
                if isinstance(name, nodes.Name):
                    self.names.setdefault(name.name, []).extend(parts)

    def _walk(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    self._add(child.data, child.lineno)
                else:
                    self.holes.append((len(self.text), child.lineno, list(self.printed(child, set()))))
                    self._add(HOLE, child.lineno)
        elif isinstance(node, nodes.Block) and node.name in self.skipped:
            self._add(HOLE, node.lineno)
        elif not isinstance(node, nodes.Assign):
            if isinstance(node, nodes.Block):
                self.blocks.append((node.name, len(self.text)))
            for child in node.iter_child_nodes():
                self._walk(child)

    def _add(self, text: str, lineno: int) -> None:
        self.lines.append((len(self.text), lineno))
        self.text += text

    def line_at(self, offset: int) -> int:
        start, lineno = max(p for p in self.lines if p[0] <= offset)
        return lineno + self.text.count("\n", start, offset)

    def printed(self, expr: nodes.Node, seen: set[str]):
        """The string constants an expression can print, outside translation calls."""
        if isinstance(expr, nodes.Const):
            if isinstance(expr.value, str):
                yield expr
        elif isinstance(expr, nodes.Call):
            callee = expr.node
            if isinstance(callee, nodes.Name) and callee.name in TRANSLATORS:
                for kw in expr.kwargs:  # the placeholders' values are printed inside the sentence
                    yield from self.printed(kw.value, seen)
            elif isinstance(callee, nodes.Name) and callee.name in self.macros:
                for kw in expr.kwargs:
                    if kw.key in TEXT_ARGUMENTS:
                        yield from self.printed(kw.value, seen)
            elif isinstance(callee, nodes.Getattr) and callee.attr in ("format", "replace", "upper", "title"):
                yield from self.printed(callee.node, seen)
            elif isinstance(callee, nodes.Getattr) and callee.attr == "get":  # {...}.get(code, default)
                yield from self.printed(callee.node, seen)
                for arg in expr.args[1:]:
                    yield from self.printed(arg, seen)
        elif isinstance(expr, nodes.Name) and expr.name not in seen:
            for value in self.names.get(expr.name, []):
                yield from self.printed(value, seen | {expr.name})
        elif isinstance(expr, nodes.CondExpr):
            yield from self.printed(expr.expr1, seen)
            if expr.expr2 is not None:
                yield from self.printed(expr.expr2, seen)
        elif isinstance(expr, (nodes.Or, nodes.And, nodes.Add)):
            yield from self.printed(expr.left, seen)
            yield from self.printed(expr.right, seen)
        elif isinstance(expr, nodes.Mod):
            yield from self.printed(expr.left, seen)
        elif isinstance(expr, nodes.Concat):
            for part in expr.nodes:
                yield from self.printed(part, seen)
        elif isinstance(expr, nodes.Filter) and expr.name in PASS_THROUGH:
            yield from self.printed(expr.node, seen)
        elif isinstance(expr, (nodes.MarkSafe, nodes.MarkSafeIfAutoescape)):
            yield from self.printed(expr.expr, seen)
        elif isinstance(expr, nodes.Getitem):
            yield from self.printed(expr.node, seen)
        elif isinstance(expr, nodes.Dict):
            for pair in expr.items:
                yield from self.printed(pair.value, seen)
        elif isinstance(expr, (nodes.List, nodes.Tuple)):
            for item in expr.items:
                yield from self.printed(item, seen)


def _spans(page: _Page, markup: bool) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    if not markup:
        return [], []
    return [m.span() for m in HIDDEN.finditer(page.text)], [m.span() for m in TAG.finditer(page.text)]


def _inside(offset: int, spans: list[tuple[int, int]], edge: bool = False) -> tuple[int, int] | None:
    """The span strictly around an offset (or starting at it, with edge: a tag opening a script)."""
    return next((s for s in spans if s[0] < offset < s[1] or (edge and s[0] == offset)), None)


def _attribute_at(page: _Page, offset: int, tag: tuple[int, int]) -> str:
    """The name of the quoted attribute an offset falls in, or '' between attributes."""
    attr = re.search(r"([\w:-]+)\s*=\s*\"[^\"]*$", page.text[tag[0] : offset])
    return attr.group(1).lower() if attr else ""


def attribute_blocks(env, sources: dict[str, str]) -> frozenset[str]:
    """Blocks that a parent template opens inside a tag attribute, such as body_class."""
    names = set()
    for name, source in sources.items():
        page = _Page(env.parse(source, name))
        _hidden, tags = _spans(page, markup=True)
        for block, offset in page.blocks:
            tag = _inside(offset, tags)
            if tag and _attribute_at(page, offset, tag) not in READABLE:
                names.add(block)
    return frozenset(names)


def literals(env, source: str, name: str, markup: bool = True, skipped_blocks=frozenset()) -> list[str]:
    """'file:line: words' for each line of a template with English that no translation call wraps."""
    page = _Page(env.parse(source, name), skipped_blocks)
    text = page.text
    hidden, tags = _spans(page, markup)
    found: dict[int, list[str]] = {}
    visible = list(text)
    for start, end in hidden + tags:
        visible[start:end] = [c if c == "\n" else " " for c in text[start:end]]
    visible = ENTITY.sub(lambda m: " " * len(m.group()), "".join(visible))
    for match in WORD.finditer(visible):
        if match.group() not in ALLOWED:
            found.setdefault(page.line_at(match.start()), []).append(match.group())
    for start, end in tags:
        if _inside(start, hidden, edge=True):
            continue
        tag = text[start:end]
        if re.search(r"\btranslate=\"no\"", tag):  # HTML's own mark for a value that is code
            continue
        submit = re.match(r"<input\b", tag, re.I) and re.search(r"type=\"(submit|button|reset)\"", tag, re.I)
        for attr in ATTRIBUTE.finditer(tag):
            key = attr.group(1).lower()
            if key in READABLE or (submit and key == "value"):
                words = _words(attr.group(2))
                if words:
                    found.setdefault(page.line_at(start + attr.start()), []).append(
                        f'{key}="{" ".join(words)}"'
                    )
    for offset, lineno, consts in page.holes:
        if _inside(offset, hidden):
            continue
        tag = _inside(offset, tags)
        if tag and _attribute_at(page, offset, tag) not in READABLE:
            continue
        for const in consts:
            words = _words(TAG.sub(" ", HIDDEN.sub(" ", FORMAT_FIELD.sub(" ", const.value))))
            if words:
                found.setdefault(const.lineno or lineno, []).append(repr(const.value))
    return [f"{name}:{line}: {' '.join(words)}" for line, words in sorted(found.items())]


@pytest.fixture(scope="module")
def jinja_env():
    from tests.conftest import make_app

    return make_app("sqlite://").jinja_env


def _staff_sources() -> dict[str, tuple[str, bool]]:
    """Template name -> (source, is HTML) for every staff template."""
    folder = ROOT / "templates"
    paths = sorted({p for pattern in STAFF_TEMPLATES for p in folder.glob(pattern)})
    return {
        p.relative_to(folder).as_posix(): (p.read_text(encoding="utf-8"), p.suffix == ".html") for p in paths
    }


def test_no_staff_template_holds_english_outside_a_translation_call(jinja_env):
    sources = _staff_sources()
    assert len(sources) > 25
    skipped = attribute_blocks(jinja_env, {name: src for name, (src, html) in sources.items() if html})
    assert skipped == {"body_class"}
    found = []
    for name, (source, html) in sources.items():
        found += literals(jinja_env, source, name, markup=html, skipped_blocks=skipped)
    assert found == [], f"{len(found)} lines with English outside _():\n" + "\n".join(found)


PLANTED = """{% from "macros/forms.html" import field %}
{% set label = 'Dispatch rule' %}
<p class="{{ 'ok' if x else 'warn' }}">{{ _('Saved') }} · {{ 'Saved' if x else '—' }}</p>
<button title="Move up" aria-label="{{ _('Move up') }}">↑</button><input type="submit" value="Send now">
{{ field(form.code, autocomplete='one-time-code', help='Six digits.') }}
{% for value, name in [('open', _('open')), ('closed', 'closed')] %}<option>{{ name }}</option>{% endfor %}
{{ {'open': _('open'), 'done': 'done'}.get(status, 'unknown') }}
<h2>{{ label }}</h2><code>feedback demo</code> <input placeholder="parking" translate="no"> NPS, n = 3
"""


def test_the_check_finds_english_in_each_place_it_can_hide(jinja_env):
    found = literals(jinja_env, PLANTED, "planted.html")
    assert found == [
        "planted.html:2: 'Dispatch rule'",
        "planted.html:3: 'Saved'",
        'planted.html:4: title="Move up" value="Send now"',
        "planted.html:5: 'Six digits.'",
        "planted.html:6: 'closed'",
        "planted.html:7: 'done' 'unknown'",
    ]
    assert literals(jinja_env, "<p>{{ _('Saved') }}</p>", "clean.html") == []
    layout = '{% block head %}<link rel="icon">{% endblock %}<body class="{% block look %}{% endblock %}">'
    assert attribute_blocks(jinja_env, {"layout.html": layout}) == {"look"}
    page = "{% block head %}<h1>Plain English</h1>{% endblock %}{% block look %}wide{% endblock %}"
    assert literals(jinja_env, page, "page.html", skipped_blocks={"look"}) == ["page.html:1: Plain English"]
