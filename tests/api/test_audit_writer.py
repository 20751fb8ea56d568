"""Audit entries with group commit (``api.audit_writer``): the entries waiting together share a
transaction, each write returns once its entry is committed, and a round that fails fails only
the entries that cannot be written."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlmodel import Session, select

from api.audit_writer import AuditWriter, writer_for
from domain.db import make_engine
from domain.models import AuditEntry


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    AuditEntry.__table__.create(engine)
    yield engine
    engine.dispose()


def _entries(engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.id)).all())


def test_an_entry_is_committed_when_its_write_returns(engine):
    writer = AuditWriter(engine)

    async def main():
        await writer.write("hr_admin:hr-1", [("read:Gap.drivers", "department:PROD")])
        return _entries(engine)  # another connection: what is committed

    (entry,) = asyncio.run(main())
    assert (entry.actor, entry.actions, entry.subjects) == (
        "hr_admin:hr-1",
        ["read:Gap.drivers"],
        ["department:PROD"],
    )


def test_entries_waiting_together_share_one_transaction(engine, monkeypatch):
    writer = AuditWriter(engine)
    first_round, go_on = threading.Event(), threading.Event()
    insert = writer._insert
    sizes = []

    def slow_first(rows):
        sizes.append(len(rows))
        if len(sizes) == 1:  # the first round holds the writer while the others arrive
            first_round.set()
            go_on.wait(5)
        insert(rows)

    monkeypatch.setattr(writer, "_insert", slow_first)

    async def main():
        first = asyncio.ensure_future(writer.write("employee:P0", [("read:Employee.metrics", "employee:P0")]))
        while not first_round.is_set():
            await asyncio.sleep(0.005)
        rest = [
            asyncio.ensure_future(
                writer.write(f"employee:P{n}", [("read:Employee.metrics", f"employee:P{n}")])
            )
            for n in range(1, 20)
        ]
        await asyncio.sleep(0.05)
        go_on.set()
        await asyncio.gather(first, *rest)

    asyncio.run(main())

    assert sizes == [1, 19] and writer.rounds == 2
    assert sorted(e.actor for e in _entries(engine)) == sorted(f"employee:P{n}" for n in range(20))


def test_a_failing_round_fails_only_the_entries_that_cannot_be_written(engine, monkeypatch):
    writer = AuditWriter(engine)
    insert = writer._insert
    started, go_on = threading.Event(), threading.Event()

    def refusing(rows):
        if not started.is_set():
            started.set()
            go_on.wait(5)
        if any(row["actor"] == "service:broken" for row in rows):
            raise RuntimeError("the database refused the entry")
        insert(rows)

    monkeypatch.setattr(writer, "_insert", refusing)

    async def main():
        first = asyncio.ensure_future(writer.write("hr_admin:hr-1", [("read:Gap.drivers", None)]))
        while not started.is_set():
            await asyncio.sleep(0.005)
        together = [
            asyncio.ensure_future(writer.write(actor, [("read:Gap.drivers", None)]))
            for actor in ("manager:P1", "service:broken", "employee:P2")
        ]
        await asyncio.sleep(0.05)
        go_on.set()
        return await asyncio.gather(first, *together, return_exceptions=True)

    outcomes = asyncio.run(main())

    assert outcomes[:2] == [None, None] and outcomes[3] is None
    assert isinstance(outcomes[2], RuntimeError)
    assert [e.actor for e in _entries(engine)] == ["hr_admin:hr-1", "manager:P1", "employee:P2"]


def test_operations_on_several_event_loops_each_get_their_answer(engine):
    """A test client runs the application's loop in a thread of its own, a server one per
    process: the writer answers each write on the loop that waits for it."""
    writer = writer_for(engine)
    assert writer_for(engine) is writer
    errors = []

    def loop_in_thread(n: int) -> None:
        async def main():
            await asyncio.gather(
                *(writer.write(f"employee:L{n}-{k}", [("read:Employee", None)]) for k in range(10))
            )

        try:
            asyncio.run(main())
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=loop_in_thread, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert errors == [] and len(_entries(engine)) == 40


def test_nothing_to_audit_writes_nothing(engine):
    writer = AuditWriter(engine)
    asyncio.run(writer.write("hr_admin:hr-1", []))
    assert _entries(engine) == [] and writer.rounds == 0
