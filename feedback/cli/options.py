"""Option types shared by the commands."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from feedback.cli.i18n import _


class Moment(click.ParamType):
    """An ISO 8601 instant; without an offset it is taken as UTC. Converted to UTC."""

    name = "ISO8601"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            return moment.astimezone(UTC)
        except (ValueError, OverflowError):
            self.fail(_("use ISO 8601 within years 1-9999, e.g. 2026-11-24T12:00:00Z"), param, ctx)


MOMENT = Moment()
