"""The schema, composed from per-area query classes."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.audit import AuditTrail
from api.mutations import ImportMutation, RecomputeMutation
from api.privacy import PrivacyMutation, PrivacyQuery
from api.queries import GapQuery, JobQuery, KpiQuery, OrganisationQuery
from api.scalars import SCALAR_MAP


@strawberry.type
class Query(OrganisationQuery, KpiQuery, GapQuery, JobQuery, PrivacyQuery):
    pass


@strawberry.type
class Mutation(ImportMutation, RecomputeMutation, PrivacyMutation):
    pass


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(scalar_map=SCALAR_MAP),
    extensions=[AuditTrail],
)


def sdl() -> str:
    return schema.as_str() + "\n"
