"""The default themes: their codes, the department each concerns, and their names per language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

THEMES = (
    "product_defect",
    "price",
    "delivery",
    "staff",
    "packaging",
    "billing",
    "usability",
    "feature_request",
)
POLARITIES = ("complaint", "praise", "neutral")

# The touchpoint a theme's comments are routed to.
DEPARTMENT: Mapping[str, str] = MappingProxyType(
    {
        "product_defect": "production/quality",
        "price": "sales",
        "delivery": "logistics",
        "staff": "customer service/store staff",
        "packaging": "quality",
        "billing": "accounts",
        "usability": "product/design",
        "feature_request": "product/design",
    }
)

LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "product_defect": MappingProxyType(
            {"en": "Product quality", "fa": "کیفیت کالا", "ar": "جودة المنتج", "ru": "Качество товара"}
        ),
        "price": MappingProxyType({"en": "Price", "fa": "قیمت", "ar": "السعر", "ru": "Цена"}),
        "delivery": MappingProxyType(
            {"en": "Delivery", "fa": "ارسال و تحویل", "ar": "التوصيل", "ru": "Доставка"}
        ),
        "staff": MappingProxyType({"en": "Staff", "fa": "کارکنان", "ar": "الموظفون", "ru": "Персонал"}),
        "packaging": MappingProxyType(
            {"en": "Packaging", "fa": "بسته‌بندی", "ar": "التغليف", "ru": "Упаковка"}
        ),
        "billing": MappingProxyType(
            {
                "en": "Billing and refunds",
                "fa": "پرداخت و صورتحساب",
                "ar": "الفواتير والدفع",
                "ru": "Оплата и чеки",
            }
        ),
        "usability": MappingProxyType(
            {"en": "Ease of use", "fa": "سهولت استفاده", "ar": "سهولة الاستخدام", "ru": "Удобство"}
        ),
        "feature_request": MappingProxyType(
            {"en": "Requests", "fa": "درخواست و پیشنهاد", "ar": "طلبات واقتراحات", "ru": "Пожелания"}
        ),
    }
)


@dataclass(frozen=True)
class Theme:
    """A theme code, the department it concerns and its name in each language.

    Examples
    --------
    >>> theme("delivery").department
    'logistics'
    >>> theme("delivery").label("fa")
    'ارسال و تحویل'
    """

    code: str
    department: str
    labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.code.replace("_", " ")

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "department": self.department, "labels": dict(self.labels)}

    def summary(self) -> str:
        names = ", ".join(f"{lang}: {name}" for lang, name in self.labels.items())
        return f"{self.code} -> {self.department} ({names})"


def theme(code: str) -> Theme:
    """The default theme ``code``; ``KeyError`` for a code that is not one."""
    return Theme(code, DEPARTMENT[code], LABELS[code])


CATALOGUE: tuple[Theme, ...] = tuple(theme(code) for code in THEMES)
