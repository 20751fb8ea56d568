"""The demo's generated texts in zh-CN and en, read by eye once and pinned: a change to any title,
agenda item or question shows up here as a diff to read.

To re-pin after an intended change: ``SALON_PIN_GOLDEN=1 pytest tests/api/test_golden_texts.py``,
then read the diff of ``tests/golden/demo_texts.json`` before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from tests.api.conftest import graphql
from tests.api.test_salons_api import plan, planner  # noqa: F401  (the planned demo)

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "demo_texts.json"
QUERY = """query($l: String) { salons(month: "2026-11", locale: $l) {
  departments { code } title topic { title } agenda { title minutes } questions charts { title }
} }"""
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # a snake_case code


def test_the_demo_texts_are_the_pinned_ones(planner):  # noqa: F811
    plan(planner, month="2026-11")
    texts = {}
    for locale in ("zh-CN", "en"):
        salons = graphql(planner, QUERY, l=locale)["data"]["salons"]
        texts[locale] = sorted(
            (
                {
                    "departments": [d["code"] for d in s["departments"]],
                    "title": s["title"],
                    "topic": s["topic"]["title"],
                    "agenda": [f"{a['title']} ({a['minutes']})" for a in s["agenda"]],
                    "questions": s["questions"],
                    "charts": [c["title"] for c in s["charts"]],
                }
                for s in salons
            ),
            key=lambda s: s["departments"],
        )
    said = json.dumps(texts, ensure_ascii=False, indent=1)
    codes = sorted(
        set(CODE.findall(said)) - {"departments", "title", "topic", "agenda", "questions", "charts"}
    )
    assert codes == [], f"codes in human text: {codes}"
    if os.environ.get("SALON_PIN_GOLDEN"):
        GOLDEN.write_text(said + "\n", encoding="utf-8")
    assert texts == json.loads(GOLDEN.read_text(encoding="utf-8"))
