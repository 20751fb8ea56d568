"""The schema, composed from per-area query classes; limits and masking come from the settings."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api import limits
from api.audit import AuditTrail
from api.errors import ErrorMasking, SalonSchema
from api.mutations import ImportMutation, RecomputeMutation
from api.privacy import PrivacyMutation, PrivacyQuery
from api.queries import GapQuery, JobQuery, KpiQuery, OrganisationQuery
from api.salons import SalonMutation, SalonQuery
from api.scalars import SCALAR_MAP
from domain.settings import Settings


@strawberry.type
class Query(OrganisationQuery, KpiQuery, GapQuery, JobQuery, SalonQuery, PrivacyQuery):
    pass


@strawberry.type
class Mutation(ImportMutation, RecomputeMutation, SalonMutation, PrivacyMutation):
    pass


def make_schema(settings: Settings) -> strawberry.Schema:
    """Batching stays off (Strawberry's default without ``batching_config``): one operation per
    request, so the limits bound a request. Without an exposed schema, validation errors do
    not suggest field names either."""
    config = StrawberryConfig(scalar_map=SCALAR_MAP, disable_field_suggestions=not settings.schema_exposed)
    # ErrorMasking first: its hooks close last, after the limits have reported
    return SalonSchema(
        query=Query,
        mutation=Mutation,
        config=config,
        extensions=[ErrorMasking, AuditTrail, *limits.extensions(settings)],
    )


def sdl() -> str:
    """The exported schema (``schema.graphql``): the types do not depend on the settings."""
    return make_schema(Settings()).as_str() + "\n"
