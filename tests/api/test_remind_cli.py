"""``salon remind [--at]``: sends what is due at that moment and prints it; a replay sends
nothing twice, two runs at once send each message once, a server down leaves the reason and a
later run delivers (run as a subprocess, like ``salon jobs``)."""

from __future__ import annotations

import subprocess

import pytest

from tests.domain.notifications.world import build
from tests.support.declared import declared_plugins  # noqa: F401  (a fixture)
from tests.support.processes import SALON, run_salon, salon_env
from tests.support.smtp import MailServer

NEW_YEAR = "2027-01-01T09:00+08:00"  # the Shanghai plan's January reminder


@pytest.fixture
def mail():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def remind_env(database_url, engine, mail, declared_plugins):  # noqa: F811  (the fixture)
    build(engine)
    env = salon_env(
        SALON_DATABASE_URL=database_url, SALON_SMTP_URL=mail.url, SALON_SMTP_FROM="salon@example.com"
    )
    if declared_plugins is not None:
        env["PYTHONPATH"] = f"{declared_plugins}:{env.get('PYTHONPATH', '')}"
    return env


def _sent(stdout: str) -> list[tuple[str, ...]]:
    return sorted(tuple(line.split()[:4]) for line in stdout.splitlines())


def test_remind_sends_what_is_due_and_prints_it_once(remind_env, mail):
    first = run_salon("remind", "--at", NEW_YEAR, env=remind_env)
    again = run_salon("remind", "--at", NEW_YEAR, env=remind_env)

    assert first.returncode == 0, first.stderr
    assert _sent(first.stdout) == [
        ("sent", "plan_reminder", "O1", "email"),
        ("sent", "plan_reminder", "O1", "in_app"),
        ("sent", "plan_reminder", "P1", "in_app"),
    ]
    assert "改进计划提醒：运营部不良率" in first.stdout
    assert "2 new reminder(s); sent 3, waiting 0" in first.stderr
    (letter,) = mail.mails_to("o1@example.com")
    assert letter["Subject"] == "改进计划提醒：运营部不良率"
    assert again.returncode == 0 and again.stdout == "" and "0 new reminder(s); sent 0" in again.stderr


def test_a_moment_without_an_offset_is_read_in_the_salon_time_zone(remind_env):
    early = run_salon("remind", "--at", "2026-12-01T08:59", env=remind_env)  # the plan's first reminder
    on_time = run_salon("remind", "--at", "2026-12-01T09:00", env=remind_env)
    bad = run_salon("remind", "--at", "next tuesday", env=remind_env)

    assert "0 new reminder(s)" in early.stderr and "2 new reminder(s)" in on_time.stderr
    assert bad.returncode == 2 and "'next tuesday' is not an ISO date-time" in bad.stderr


def test_two_runs_at_once_send_each_message_once(remind_env, mail):
    mail.delay = 0.5
    runs = [
        subprocess.Popen([SALON, "remind", "--at", NEW_YEAR], env=remind_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [run.communicate(timeout=120) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    lines = _sent("".join(out for out, _ in outputs))
    assert lines == [
        ("sent", "plan_reminder", "O1", "email"),
        ("sent", "plan_reminder", "O1", "in_app"),
        ("sent", "plan_reminder", "P1", "in_app"),
    ]
    assert len(mail.mails_to("o1@example.com")) == 1


def test_a_server_down_leaves_the_reason_and_a_later_run_delivers(remind_env, mail):
    mail.stop()
    down = run_salon("remind", "--at", NEW_YEAR, env=remind_env)
    mail.start()
    back = run_salon("remind", "--at", NEW_YEAR, env=remind_env)

    assert down.returncode == 0, down.stderr
    assert ("pending", "plan_reminder", "O1", "email") in _sent(down.stdout)
    assert "ConnectionRefusedError" in down.stdout and "waiting 1 (the workers try again)" in down.stderr
    assert _sent(back.stdout) == [("sent", "plan_reminder", "O1", "email")]
    assert len(mail.mails_to("o1@example.com")) == 1
