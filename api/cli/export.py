"""``salon export bonuses``: the appraisal bonus of a cycle for an EHR's appraisal import.

The figures are ``domain.growth.bonus``'s, the file ``domain.growth.export``'s: what a person
sees as their ``appraisalBonus`` is what the EHR imports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import Engine
from sqlmodel import Session

from domain.growth.bonus import bonuses, parse_cycle
from domain.growth.export import bonus_frame, render
from domain.growth.policy import load_policy
from domain.periods import PeriodError
from domain.settings import Settings


def run(settings: Settings, engine: Engine, cycle: str, file_format: str, output: Path | None) -> None:
    try:
        period = parse_cycle(cycle)
    except PeriodError as error:
        raise click.BadParameter(error.reason, param_hint="'--cycle'") from None
    with Session(engine) as session:
        found = bonuses(session, period, load_policy(settings.contribution_policy))
    frame = bonus_frame(found, settings.locale)
    content = render(frame, file_format)
    if output is not None:
        output.write_bytes(content)
        click.echo(f"{frame.height} people with a bonus in {period}: written to {output}", err=True)
        return
    if file_format == "xlsx" and sys.stdout.isatty():
        raise click.UsageError("an XLSX file is binary: pass --output FILE, or redirect the output")
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()
    click.echo(f"{frame.height} people with a bonus in {period}", err=True)
