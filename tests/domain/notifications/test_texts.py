"""Every sentence in every supported language; the HTML part escapes what people typed; times
read in the reader's language and the event's zone."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.locales import LOCALES
from domain.models import NotificationKind
from domain.notifications.drafts import Draft, moment
from domain.notifications.messages import MESSAGES, say

NON_LATIN = {"zh-CN": r"[\u4e00-\u9fff]", "zh-TW": r"[\u4e00-\u9fff]", "ja": r"[\u3040-\u30ff\u4e00-\u9fff]",
             "ko": r"[\uac00-\ud7af]", "ru": r"[\u0400-\u04ff]", "th": r"[\u0e00-\u0e7f]"}  # fmt: skip


def _filled(key: str) -> dict[str, object]:
    english = MESSAGES[key]
    forms = (english,) if isinstance(english, str) else english
    names = {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}
    return {name: 3 if name == "count" else "X" for name in names}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sentence_comes_from_the_catalog_in_every_language(locale):
    for key in MESSAGES:
        text = say(key.removeprefix("notice."), locale, **_filled(key))
        assert text.strip(), (locale, key)
        if locale in NON_LATIN and key != "notice.when":  # the moment is all placeholders
            assert re.search(NON_LATIN[locale], text), (locale, key, text)


@pytest.mark.parametrize(
    ("count", "said"), [(1, "1 минута"), (2, "2 минуты"), (5, "5 минут"), (21, "21 минута")]
)
def test_an_agenda_items_minutes_follow_the_plural_rule(count, said):
    assert say("invitation.agenda.item", "ru", title="Итоги", count=count) == f"Итоги ({said})"


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
