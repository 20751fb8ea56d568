"""Two plannings of the same new month at once: the second waits for the first's claim on the
month and then rewrites its salons, instead of colliding on the (month, department) index."""

from __future__ import annotations

import logging
import threading

from sqlmodel import Session, select

from domain.models import Salon
from domain.salons import planning


def test_concurrent_plannings_of_a_new_month_take_turns(computed_demo, monkeypatch, caplog):
    both_planned = threading.Barrier(2, timeout=60)
    plan = planning.plan

    def plan_then_meet(*args, **kwargs):  # both have planned before either stores
        result = plan(*args, **kwargs)
        both_planned.wait()
        return result

    monkeypatch.setattr(planning, "plan", plan_then_meet)
    outcomes: list[object] = []

    def run() -> None:
        try:
            outcomes.append(planning.plan_month(computed_demo, "2026-11"))
        except Exception as error:  # noqa: BLE001  (recorded for the assertion)
            outcomes.append(error)
            logging.getLogger("test").exception("planning failed")

    threads = [threading.Thread(target=run) for _ in range(2)]
    with caplog.at_level(logging.WARNING):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert all(isinstance(outcome, dict) for outcome in outcomes), outcomes
    assert "IntegrityError" not in caplog.text
    planned = {s["department"] for s in outcomes[0]["salons"]}
    with Session(computed_demo) as session:
        stored = session.exec(select(Salon).where(Salon.month == "2026-11")).all()
    assert planned and len(stored) == len(planned)  # one salon per department, not two
