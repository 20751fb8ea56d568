"""A message before it is stored: one person's, in their language, as plain text and HTML.

Paragraphs are the unit: the text part separates them with a blank line, the HTML part puts
each in a ``<p>`` (a line break inside one stays one). Everything that goes into the HTML is
escaped here, once — names and titles come from imports and people's edits.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location

from domain.models import NotificationKind
from domain.notifications.messages import say


@dataclass(frozen=True)
class Draft:
    key: str  # the message; with the person, unique (see ``domain.models.notifications``)
    kind: NotificationKind
    employee_id: int  # the recipient's row
    locale: str
    subject: str
    paragraphs: tuple[str, ...]
    salon_id: int | None = None
    plan_id: int | None = None
    link: str | None = None
    calendar: str | None = None  # an iCalendar object

    @property
    def text(self) -> str:
        return "\n\n".join([*self.paragraphs, say("footer", self.locale)]) + "\n"

    @property
    def html(self) -> str:
        body = "".join(f"<p>{_lines(p)}</p>" for p in self.paragraphs)
        footer = f'<p style="color:#888;font-size:small">{html.escape(say("footer", self.locale))}</p>'
        return (
            f'<!DOCTYPE html><html lang="{self.locale}"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.subject)}</title></head><body>{body}{footer}</body></html>"
        )


def _lines(paragraph: str) -> str:
    return "<br>".join(html.escape(line) for line in paragraph.split("\n"))


def moment(at: datetime, zone: ZoneInfo, locale: str) -> str:
    """``at`` as people of ``locale`` read it in ``zone``: "2026年12月3日星期四 14:00（中国（上海）时间）",
    "Thursday, December 3, 2026, 14:00 (China (Shanghai) Time)"."""
    local = at.astimezone(zone)
    babel = Locale.parse(locale, sep="-")
    return say(
        "when",
        locale,
        date=format_date(local.date(), "full", locale=babel),
        time=format_time(local, "HH:mm", locale=babel),
        zone=get_timezone_location(zone, locale=babel),
    )
