"""The schema, composed from the per-area Query and Mutation classes (one module of :mod:`api` per
area); limits and masking come from the settings."""

from __future__ import annotations

from collections.abc import Iterator

import strawberry
from graphql import GraphQLError, lexicographic_sort_schema, print_schema
from strawberry.extensions import ParserCache
from strawberry.schema.config import StrawberryConfig

from api import limits
from api.audit import AuditTrail
from api.errors import ErrorMasking, SalonSchema
from api.gaps import GapQuery, RecomputeMutation
from api.growth import GrowthMutation, GrowthQuery
from api.imports import ImportMutation
from api.jobs import JobMutation, JobQuery
from api.kpis import KpiQuery
from api.languages import LocaleQuery
from api.node import NodeQuery
from api.notifications import NotificationMutation, NotificationQuery
from api.organisation import OrganisationQuery
from api.plans import PlanMutation, PlanQuery
from api.privacy import PrivacyMutation, PrivacyQuery
from api.salons import SalonMutation, SalonQuery
from api.scalars import SCALAR_MAP
from api.subscriptions import Subscription
from domain.settings import Settings


@strawberry.type(
    description="Every read: the organisation, KPIs and gaps, salons, plans, growth and the programme's numbers, "
    "notifications, jobs, the audit log."
)
class Query(
    OrganisationQuery,
    KpiQuery,
    GapQuery,
    JobQuery,
    SalonQuery,
    PlanQuery,
    GrowthQuery,
    PrivacyQuery,
    NotificationQuery,
    NodeQuery,
    LocaleQuery,
):
    pass


@strawberry.type(
    description="Every change: imports, recompute, planning and salons, plans, contributions and ratings, "
    "notifications, erasure, jobs. All audited."
)
class Mutation(
    ImportMutation,
    RecomputeMutation,
    SalonMutation,
    PlanMutation,
    GrowthMutation,
    PrivacyMutation,
    JobMutation,
    NotificationMutation,
):
    pass


class _Schema(SalonSchema):
    """Without an exposed schema no error suggests names ("Did you mean …?"): validation
    leaves them out (:mod:`api.validation`), and so does execution, which reports variables
    of the wrong value (an enum value, an input field) — graphql-core's ``hide_suggestions``,
    which Strawberry does not pass on by itself."""

    def __init__(self, *args, hide_suggestions: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hide_suggestions = hide_suggestions

    def _get_custom_context_kwargs(self, operation_extensions=None, *, sync: bool = False) -> dict:
        kwargs = super()._get_custom_context_kwargs(operation_extensions, sync=sync)
        return {**kwargs, "hide_suggestions": self.hide_suggestions}


PARSED_QUERIES = 256  # distinct query texts kept parsed (Strawberry's ParserCache, shared by all schemas)


class ParsedQueries(ParserCache):
    """Strawberry's parse cache, except that a text which does not parse (a syntax error, the
    token limit) is left to Strawberry's own parse step: raised from this hook it would escape
    the operation and reach the client without :class:`ErrorMasking`'s code."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(context.query, **context.parse_options)
        except GraphQLError:
            context.graphql_document = None  # parsed again below, failing the same way, but coded
        yield


def make_schema(settings: Settings) -> strawberry.Schema:
    """Batching stays off (Strawberry's default without ``batching_config``): one operation per
    request, so the limits bound a request. A query text is parsed once (``ParserCache``, keyed
    by the text and the token limit) and validated once (:class:`api.validation.PassedQueries`):
    clients repeat the same few texts, and both steps cost more than running a screen's query."""
    hidden = not settings.schema_exposed
    config = StrawberryConfig(scalar_map=SCALAR_MAP, disable_field_suggestions=hidden)
    # ErrorMasking first: its hooks close last, after the limits have reported
    return _Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=config,
        extensions=[
            ErrorMasking,
            AuditTrail,
            lambda: ParsedQueries(maxsize=PARSED_QUERIES),
            *limits.extensions(settings),
        ],
        hide_suggestions=hidden,
    )


def sdl() -> str:
    """The exported schema (``schema.graphql``): the types do not depend on the settings. Sorted
    by name (types, fields, arguments, enum values), so that it reads like a reference and a
    change shows up where its name sorts, whatever the order of the code."""
    schema = make_schema(Settings())
    return print_schema(lexicographic_sort_schema(schema._schema)) + "\n"
