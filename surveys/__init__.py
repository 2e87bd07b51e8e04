"""Candor's questionnaire model: question types, scales, templates and wording checks.

Pure Python; it never imports the web application or the database.
"""

from surveys.model import (
    Condition,
    DispatchRule,
    Option,
    Question,
    QuestionType,
    Role,
    Scale,
    Survey,
    SurveyError,
    Text,
    TextVariant,
    text_direction,
)
from surveys.validate import checked

__all__ = [
    "Condition",
    "DispatchRule",
    "Option",
    "Question",
    "QuestionType",
    "Role",
    "Scale",
    "Survey",
    "SurveyError",
    "Text",
    "TextVariant",
    "checked",
    "text_direction",
]
