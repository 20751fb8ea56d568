"""Every type, field, argument and enum value of the schema has a description (what
graphql-schema-linter's ``types-have-descriptions``, ``fields-have-descriptions``,
``arguments-have-descriptions`` and ``enum-values-have-descriptions`` check), walked in Python.

Descriptions are what GraphiQL, codegen and client IDEs show: a field without one is a
question the front-end developer has to ask.
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from api.schema import make_schema
from domain.settings import Settings

BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def undescribed(schema=None) -> set[str]:
    """``Type``, ``Type.field``, ``Type.field(argument)`` and ``Enum.VALUE`` without a description."""
    schema = schema or make_schema(Settings())._schema
    missing = set()
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not kind.description:
            missing.add(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.add(f"{name}.{field_name}")
                for argument_name, argument in getattr(field, "args", {}).items():
                    if not argument.description:
                        missing.add(f"{name}.{field_name}({argument_name})")
        if isinstance(kind, GraphQLEnumType):
            missing.update(f"{name}.{value}" for value, spec in kind.values.items() if not spec.description)
    return missing


def test_every_type_field_argument_and_enum_value_is_described():
    assert undescribed() == set()


@strawberry.type
class Bare:
    x: int


@strawberry.type(description="Described.")
class Described:
    @strawberry.field(description="Described.")
    def bare(self, y: int) -> Bare:
        return Bare(x=y)


def test_the_walk_sees_each_missing_description():
    schema = strawberry.Schema(query=Described)._schema
    assert undescribed(schema) == {"Bare", "Bare.x", "Described.bare(y)"}
