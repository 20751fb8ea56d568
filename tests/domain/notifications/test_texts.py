"""Every sentence in every supported language; the HTML part escapes what people typed; times
read in the reader's language and the event's zone."""

from __future__ import annotations

import string
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from domain.models import NotificationKind
from domain.notifications.drafts import Draft, moment
from domain.notifications.texts import TEXTS
from domain.settings import LOCALES


def test_every_key_has_every_locale_with_the_same_placeholders():
    for key, texts in TEXTS.items():
        assert sorted(texts) == sorted(LOCALES), key
        names = [
            {name for _, name, _, _ in string.Formatter().parse(text) if name} for text in texts.values()
        ]
        assert all(found == names[0] for found in names), key


def test_the_html_part_escapes_and_the_text_part_keeps_what_people_typed():
    draft = Draft(
        key="k", kind=NotificationKind.INVITATION, employee_id=1, locale="en",
        subject="<b>Review</b>", paragraphs=("A & B <script>x</script>", "one\ntwo"),
    )  # fmt: skip

    assert "<p>A &amp; B &lt;script&gt;x&lt;/script&gt;</p><p>one<br>two</p>" in draft.html
    assert "<title>&lt;b&gt;Review&lt;/b&gt;</title>" in draft.html and 'lang="en"' in draft.html
    assert draft.text == "A & B <script>x</script>\n\none\ntwo\n\nSent by EHR Salon.\n"


def test_a_moment_reads_in_the_zone_and_the_language():
    at = datetime(2027, 3, 29, 12, 0, tzinfo=UTC)

    assert (
        moment(at, ZoneInfo("Europe/Berlin"), "en") == "Monday, March 29, 2027, 14:00 (Germany (Berlin) Time)"
    )
    assert moment(at, ZoneInfo("Asia/Shanghai"), "zh-CN") == "2027年3月29日星期一 20:00（中国（上海）时间）"
