"""Every word the appraisal-bonus export says, declared once in English with its key.

Gettext messages like the formats' (``plugins/messages.py``), extracted by ``make catalogs``
(``babel.cfg`` names this module) and translated in ``plugins/locale/<locale>/LC_MESSAGES/salon.po``.
The export's column headers are not here: they are the import templates' machine-readable names,
so the file reads back through any EHR importer (and ours) whatever the language of its reasons.
"""

from __future__ import annotations

from plugins.i18n import translated
from plugins.messages import N_

MESSAGES: dict[str, str | tuple[str, str]] = dict(
    (
        # a contribution's kind, as a person's role at the salon
        N_("bonus.kind.attendee", "attendee"),
        N_("bonus.kind.sharer", "sharer"),
        N_("bonus.kind.excellent_sharer", "excellent sharer"),
        N_("bonus.kind.problem_solver", "problem solver"),
        # one contribution that earned points: the salon's month, the role, the points
        N_("bonus.reason", "{month} salon {kind} +{points}"),
        # the cycle's points were more than the policy's cap
        N_("bonus.cap", "{earned} in all, capped at {points}"),
        # between two reasons in one cell
        N_("bonus.separator", "; "),
    )
)


def say(key: str, locale: str, **values: object) -> str:
    """The export's text ``bonus.<key>`` in ``locale``, placeholders filled."""
    return translated(MESSAGES, f"bonus.{key}", locale, values)
