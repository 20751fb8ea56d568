"""The schema, composed from per-area query classes."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.mutations import ImportMutation, RecomputeMutation
from api.queries import GapQuery, JobQuery, KpiQuery, OrganisationQuery
from api.salons import SalonMutation, SalonQuery
from api.scalars import SCALAR_MAP


@strawberry.type
class Query(OrganisationQuery, KpiQuery, GapQuery, JobQuery, SalonQuery):
    pass


@strawberry.type
class Mutation(ImportMutation, RecomputeMutation, SalonMutation):
    pass


schema = strawberry.Schema(query=Query, mutation=Mutation, config=StrawberryConfig(scalar_map=SCALAR_MAP))


def sdl() -> str:
    return schema.as_str() + "\n"
