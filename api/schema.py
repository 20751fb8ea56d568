"""The schema, composed from per-area query classes."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.audit import AuditTrail
from api.mutations import ImportMutation, RecomputeMutation
from api.permissions import PermissionDenied
from api.privacy import PrivacyMutation, PrivacyQuery
from api.queries import GapQuery, JobQuery, KpiQuery, OrganisationQuery
from api.salons import SalonMutation, SalonQuery
from api.scalars import SCALAR_MAP


@strawberry.type
class Query(OrganisationQuery, KpiQuery, GapQuery, JobQuery, SalonQuery, PrivacyQuery):
    pass


@strawberry.type
class Mutation(ImportMutation, RecomputeMutation, SalonMutation, PrivacyMutation):
    pass


class SalonSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Log unexpected errors only: a refusal is expected, is in the audit trail, and its
        message names the person asked for, which has no place in a log."""
        unexpected = [e for e in errors if not isinstance(e.original_error, PermissionDenied)]
        super().process_errors(unexpected, execution_context)


schema = SalonSchema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(scalar_map=SCALAR_MAP),
    extensions=[AuditTrail],
)


def sdl() -> str:
    return schema.as_str() + "\n"
