"""Build hook: compile the message catalogs (.po -> .mo) whenever the package is installed."""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):
    PLUGIN_NAME = "compile-catalogs"

    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root) / "feedback" / "translations"
        for po in sorted(root.glob("*/LC_MESSAGES/messages.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=po.parents[1].name)
            with po.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)
        # The .mo files are not in git; "artifacts" puts them in the wheel all the same.
        build_data.setdefault("artifacts", []).append("feedback/translations/*/LC_MESSAGES/messages.mo")
