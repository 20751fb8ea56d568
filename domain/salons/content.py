"""The stored shape of a salon: what planning writes to ``Salon.content`` and ``Salon.topic``,
and what every reader gets back.

Both columns are JSON, so their shape is a contract between the planner that writes them and
the readers that come back to them months later, possibly after an upgrade. It is written down
once, here, as frozen types: ``to_json`` is what planning stores and ``from_json`` checks a
stored value key by key, failing with a :class:`StoredShapeError` that names the key and never
the value (the content names people). A value in memory is always in the current shape; the
stored form carries a ``version`` (rows written before there was one are version 1), and a
version newer than this code is refused rather than half read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from domain.locales import negotiate


class StoredShapeError(ValueError):
    """A stored salon value does not have the shape this code reads: a bug or a newer writer,
    never the caller's fault (so the API reports it as an internal error)."""


# ---- checking one stored value; ``where`` is the key's path, for the message ----------------


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _object(
    value: Any, where: str, required: Collection[str] = (), optional: Collection[str] = ()
) -> Mapping[str, Any]:
    """An object; with ``required``, exactly those keys (and any ``optional`` ones)."""
    if not isinstance(value, Mapping):
        raise StoredShapeError(f"{where}: must be an object, not {_kind(value)}")
    if missing := sorted(set(required) - value.keys()):
        raise StoredShapeError(f"{where}: missing key(s) {missing}")
    if required and (unknown := sorted(map(str, value.keys() - set(required) - set(optional)))):
        raise StoredShapeError(f"{where}: unknown key(s) {unknown}")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise StoredShapeError(f"{where}: must be a string, not {_kind(value)}")
    return value


def _optional_str(value: Any, where: str) -> str | None:
    return None if value is None else _str(value, where)


def _int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise StoredShapeError(f"{where}: must be an integer, not {_kind(value)}")
    return value


def _number(value: Any, where: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise StoredShapeError(f"{where}: must be a number, not {_kind(value)}")
    return float(value)


def _list(value: Any, where: str) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        raise StoredShapeError(f"{where}: must be a list, not {_kind(value)}")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    return tuple(_str(item, f"{where}[{i}]") for i, item in enumerate(_list(value, where)))


def _by_locale(value: Any, where: str) -> dict[str, Any]:
    """A non-empty object keyed by locale: a salon is always readable in some language."""
    found = _object(value, where)
    if not found:
        raise StoredShapeError(f"{where}: must hold at least one locale")
    for locale in found:
        _str(locale, f"{where} (a locale)")
    return dict(found)


def _version(data: Mapping[str, Any], where: str, current: int) -> int:
    """The stored version (absent: 1, the shape before versions were written)."""
    version = _int(data.get("version", 1), f"{where}.version")
    if version < 1:
        raise StoredShapeError(f"{where}.version: must be at least 1, not {version}")
    if version > current:
        raise StoredShapeError(
            f"{where}.version: version {version} is newer than this code reads (up to {current})"
        )
    return version


def _in_locale(by_locale: Mapping[str, Any], locale: str) -> Any:
    """The ``locale`` value; else the closest stored language (CLDR, ``domain.locales``: zh-TW
    reads zh-CN); else the default locale's — the first stored, as planning writes the
    deployment's default first. Salons planned before every shipped locale was stored hold
    zh-CN and en only, and must still read in all twelve."""
    if locale in by_locale:
        return by_locale[locale]
    closest = negotiate([locale], by_locale.keys())
    return by_locale[closest] if closest is not None else next(iter(by_locale.values()))


# ---- the content: texts per locale, and the people -------------------------------------------


@dataclass(frozen=True)
class AgendaEntry:
    title: str
    minutes: int

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "minutes": self.minutes}

    @classmethod
    def from_json(cls, data: Any, where: str = "agenda entry") -> AgendaEntry:
        data = _object(data, where, required=("title", "minutes"))
        return cls(
            title=_str(data["title"], f"{where}.title"), minutes=_int(data["minutes"], f"{where}.minutes")
        )


@dataclass(frozen=True)
class SalonTexts:
    """One locale's texts. ``charts`` are complete Vega-Lite specs, kept as the plugin built them
    (their schema is Vega-Lite's, not ours): shared with the stored value, not to be changed."""

    title: str
    agenda: tuple[AgendaEntry, ...] = ()
    questions: tuple[str, ...] = ()
    charts: tuple[Mapping[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "agenda": [entry.to_json() for entry in self.agenda],
            "questions": list(self.questions),
            "charts": [dict(chart) for chart in self.charts],
        }

    @classmethod
    def from_json(cls, data: Any, where: str = "texts") -> SalonTexts:
        data = _object(data, where, required=("title", "agenda", "questions", "charts"))
        agenda = _list(data["agenda"], f"{where}.agenda")
        charts = _list(data["charts"], f"{where}.charts")
        return cls(
            title=_str(data["title"], f"{where}.title"),
            agenda=tuple(AgendaEntry.from_json(e, f"{where}.agenda[{i}]") for i, e in enumerate(agenda)),
            questions=_strings(data["questions"], f"{where}.questions"),
            charts=tuple(_object(c, f"{where}.charts[{i}]") for i, c in enumerate(charts)),
        )


@dataclass(frozen=True)
class SalonContent:
    """What a salon is made of: its texts in every planned locale and its people (employee ids;
    ``groups`` are the workshop's working groups, presenters aside)."""

    VERSION: ClassVar[int] = 1

    texts: Mapping[str, SalonTexts]
    presenters: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()

    def texts_in(self, locale: str) -> SalonTexts:
        """The texts in ``locale``, else the closest or the default locale's (:func:`_in_locale`)."""
        return _in_locale(self.texts, locale)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.VERSION,
            "texts": {locale: texts.to_json() for locale, texts in self.texts.items()},
            "presenters": list(self.presenters),
            "participants": list(self.participants),
            "groups": [list(group) for group in self.groups],
        }

    @classmethod
    def from_json(cls, data: Any) -> SalonContent:
        where = "content"
        data = _object(
            data, where, required=("texts", "presenters", "participants", "groups"), optional=("version",)
        )
        _version(data, where, cls.VERSION)
        texts = _by_locale(data["texts"], f"{where}.texts")
        groups = _list(data["groups"], f"{where}.groups")
        return cls(
            texts={locale: SalonTexts.from_json(t, f"{where}.texts.{locale}") for locale, t in texts.items()},
            presenters=_strings(data["presenters"], f"{where}.presenters"),
            participants=_strings(data["participants"], f"{where}.participants"),
            groups=tuple(_strings(group, f"{where}.groups[{i}]") for i, group in enumerate(groups)),
        )


# ---- the topic ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFit:
    """One format's fit for the topic when the salon was planned: the planner's numbers, and
    the format's reason in each locale it gave one (none: empty)."""

    format_key: str
    score: float
    planner_score: float | None = None
    reasons: Mapping[str, str] = field(default_factory=dict)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format_key,
            "score": self.score,
            "planner_score": self.planner_score,
            "reasons": dict(self.reasons),
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: Any, where: str) -> StoredFit:
        data = _object(data, where, required=("format", "score", "planner_score", "reasons", "error"))
        reasons = _object(data["reasons"], f"{where}.reasons")
        planner_score = data["planner_score"]
        return cls(
            format_key=_str(data["format"], f"{where}.format"),
            score=_number(data["score"], f"{where}.score"),
            planner_score=None if planner_score is None else _number(planner_score, f"{where}.planner_score"),
            reasons={locale: _str(text, f"{where}.reasons.{locale}") for locale, text in reasons.items()},
            error=_optional_str(data["error"], f"{where}.error"),
        )

    def reason_in(self, locale: str) -> str | None:
        """The reason in ``locale`` (falling back as a salon's texts do), None without one."""
        return _in_locale(self.reasons, locale) if self.reasons else None


@dataclass(frozen=True)
class StoredTopic:
    """The topic a salon was planned for, as it stood then, with its title in every locale and
    every format's fit for it (version 2; version 1 rows have no fits)."""

    VERSION: ClassVar[int] = 2

    key: str
    kind: str  # plugins.topics: "shortfall" or "growth"
    metric_code: str | None
    skill: str | None
    severity: float
    period: str
    titles: Mapping[str, str]
    fits: tuple[StoredFit, ...] = ()  # best first

    def title_in(self, locale: str) -> str:
        """The title in ``locale``, else the closest or the default locale's (:func:`_in_locale`)."""
        return _in_locale(self.titles, locale)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.VERSION,
            "key": self.key,
            "kind": self.kind,
            "metric_code": self.metric_code,
            "skill": self.skill,
            "severity": self.severity,
            "period": self.period,
            "titles": dict(self.titles),
            "fits": [fit.to_json() for fit in self.fits],
        }

    @classmethod
    def from_json(cls, data: Any) -> StoredTopic:
        where = "topic"
        data = _object(
            data,
            where,
            required=("key", "kind", "metric_code", "skill", "severity", "period", "titles"),
            optional=("version", "fits"),
        )
        _version(data, where, cls.VERSION)
        titles = _by_locale(data["titles"], f"{where}.titles")
        fits = _list(data.get("fits", []), f"{where}.fits")
        return cls(
            key=_str(data["key"], f"{where}.key"),
            kind=_str(data["kind"], f"{where}.kind"),
            metric_code=_optional_str(data["metric_code"], f"{where}.metric_code"),
            skill=_optional_str(data["skill"], f"{where}.skill"),
            severity=_number(data["severity"], f"{where}.severity"),
            period=_str(data["period"], f"{where}.period"),
            titles={locale: _str(title, f"{where}.titles.{locale}") for locale, title in titles.items()},
            fits=tuple(StoredFit.from_json(fit, f"{where}.fits[{i}]") for i, fit in enumerate(fits)),
        )
