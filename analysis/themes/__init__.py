"""Theme tagging of customer comments in English, Persian, Arabic and Russian.

Each comment gets the themes it speaks of (a defect, the price, the delivery...), each with a
polarity (complaint, praise or neutral), from auditable rules per language that staff can
extend, plus, when given, a model learned from staff corrections. Pure: no web framework,
database or application imports.

>>> [(t.code, t.polarity) for t in tag("fast delivery but the box was crushed")]
[('delivery', 'praise'), ('packaging', 'complaint')]
>>> [(t.code, t.polarity) for t in tag("با کیفیت عالی ولی خیلی گرون بود", "fa")]
[('product_defect', 'praise'), ('price', 'complaint')]
>>> DEPARTMENT["delivery"]
'logistics'
"""

from analysis.themes.catalogue import CATALOGUE, DEPARTMENT, LABELS, POLARITIES, THEMES, Theme, theme
from analysis.themes.contact import asks_for_contact
from analysis.themes.detect import detect_language
from analysis.themes.emerging import Emerging, EmergingTopic, emerging
from analysis.themes.model import ThemeModel, train
from analysis.themes.normalize import normalize
from analysis.themes.preview import Change, RulePreview, preview
from analysis.themes.result import ThemeTag
from analysis.themes.ruleset import Rules, available_languages, default_rules, load_rules, merge
from analysis.themes.tagger import tag

__all__ = [
    "CATALOGUE",
    "DEPARTMENT",
    "LABELS",
    "POLARITIES",
    "THEMES",
    "Change",
    "Emerging",
    "EmergingTopic",
    "RulePreview",
    "Rules",
    "Theme",
    "ThemeModel",
    "ThemeTag",
    "asks_for_contact",
    "available_languages",
    "default_rules",
    "detect_language",
    "emerging",
    "load_rules",
    "merge",
    "normalize",
    "preview",
    "tag",
    "theme",
    "train",
]
