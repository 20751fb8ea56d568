"""What a salon format plugin implements and returns: the public plugin API.

A format is a small class with ``key``, ``name`` and ``description`` and two methods, as a
Datasette column type is: the host asks every format how well it ``fit``s a topic and lets the
best one ``build`` the draft. Drafts are plain data so that the host can validate and store them
without trusting the plugin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plugins.i18n import Text

if TYPE_CHECKING:
    from plugins.context import Context
    from plugins.topics import Topic


@dataclass(frozen=True)
class Fit:
    """What ``SalonFormat.fit`` may return instead of a bare number: the score and why.

    ``reason`` is shown next to the score wherever people ask why the planner chose (the
    ``topics`` query's ``fits``, ``salon explain``): one text, or one per locale.
    """

    score: float
    reason: Text | None = None


@dataclass(frozen=True)
class AgendaItem:
    """One part of the salon and the minutes it takes."""

    title: str
    minutes: int


@dataclass
class SalonDraft:
    """What ``SalonFormat.build`` returns; everything but ``title`` is optional.

    People are employee ids (the ``employee_id`` of the import files), departments are codes.
    ``charts`` are Vega-Lite specs, each with a ``title``. ``departments`` defaults to the
    department being planned; ``host_department`` is a department that hosts without attending.
    """

    title: str
    agenda: list[AgendaItem] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    presenters: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    host_department: str | None = None
    departments: list[str] = field(default_factory=list)


class SalonFormat:
    """Base class of salon formats. Subclass it, set the attributes, override both methods.

    ``key`` is the format's stable identifier (stored with every salon); ``name`` and
    ``description`` are shown to people, as one text or one per locale.
    """

    key: str = ""
    name: Text = ""
    description: Text = ""

    def fit(self, topic: Topic, context: Context) -> float | Fit:
        """How well this format serves ``topic`` in ``context``: 0 (not at all) to 1 (ideal),
        as a number or a :class:`Fit` saying why.

        Called for each of a department's top topics; the best fit is built. Return 0 for
        topics the format cannot serve.
        """
        return 0.0

    def build(self, topic: Topic, context: Context) -> SalonDraft:
        """The salon for ``topic``, with its texts in ``context.locale``.

        Called once per supported locale with the same topic; keep everything except the
        texts independent of the locale.
        """
        raise NotImplementedError(f"salon format {self.key!r} does not implement build()")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key!r}>"
