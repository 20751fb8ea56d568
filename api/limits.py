"""Limits that refuse abusive queries before they run, each with the reason.

Depth, aliases and tokens use Strawberry's extensions; :mod:`api.validation` bounds how much
is validated. :class:`QueryCost` adds what they cannot see: how many objects a query may
produce. Every list field multiplies the cost of what is selected under it by its page size —
the ``first``/``last``/``limit`` argument when it has one (capped at ``max_page_size``), else
an estimate — so ``departments { employees { manager { department { employees … }}}}`` is
refused while a dashboard query passes.

A Relay connection (a type named ``…Connection``) costs its page once: its ``edges`` (and
``nodes``) count ``first`` times, its ``pageInfo`` and ``totalCount`` once.

The limits are set up once per schema, not per operation: the depth, alias and introspection
rules are built once (an ``AddValidationRules`` of them), and an operation whose estimate passed
without reading a variable is not estimated again (clients repeat the same few texts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from api.errors import TooComplex
from api.validation import BoundedValidation, PassedQueries
from domain.settings import Settings

PAGE_ARGUMENTS = ("first", "last", "limit")
CONNECTION = "Connection"  # the suffix of a Relay connection's type name
PAGED_FIELDS = ("edges", "nodes")  # a connection's fields that hold its page
LIST_ESTIMATE = 20  # a list without a page-size argument: a department's gaps, drivers, children…
LIST_ESTIMATES = {  # the few lists known to be longer or shorter than that
    ("Query", "departments"): 50,
    ("Department", "employees"): 100,
    ("Department", "children"): 5,
}


class _Refused(Exception):
    pass


class QueryCost(SchemaExtension):
    """Refuses page sizes above ``max_page_size`` and queries whose estimated number of
    resolved fields is above ``max_cost``. Runs before execution, when the variables are
    known (validation rules do not see them). An operation in ``passed`` is not estimated again;
    one whose estimate passed without reading a variable (a page size given as ``$first``) is
    added to it."""

    def __init__(self, max_cost: int, max_page_size: int, passed: PassedQueries | None = None) -> None:
        self.max_cost = max_cost
        self.max_page_size = max_page_size
        self.passed = passed

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        key = (context.query, context.operation_name) if self.passed is not None and context.query else None
        if key is not None and key in self.passed:
            yield
            return
        operation = get_operation_ast(context.graphql_document, context.operation_name)
        if operation is not None:
            fragments = {
                d.name.value: d
                for d in context.graphql_document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            schema = context.schema._schema
            walker = _CostWalker(schema, fragments, context.variables or {}, self.max_page_size)
            root = schema.get_root_type(operation.operation)
            try:
                cost = walker.cost(operation.selection_set, root)
                if cost > self.max_cost:
                    raise _Refused(
                        f"the query's estimated cost {cost:,} is above the limit of {self.max_cost:,}: "
                        "select fewer nested lists or ask for smaller pages"
                    )
                if key is not None and not walker.read_variables:
                    self.passed.add(key)
            except _Refused as refused:
                context.result = ExecutionResult(data=None, errors=[TooComplex(str(refused))])
        yield


class _CostWalker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        max_page_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.max_page_size = max_page_size
        self._pages: list[int] = []  # the page sizes of the connections being walked, innermost last
        self.read_variables = False  # whether a page size came from a variable (the cost depends on it)

    def cost(self, selection_set: SelectionSetNode | None, parent: Any) -> int:
        if selection_set is None or parent is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, inner)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    inner = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.cost(fragment.selection_set, inner)
        return total

    def _field_cost(self, node: FieldNode, parent: Any) -> int:
        name = node.name.value
        fields = getattr(parent, "fields", None)
        if name.startswith("__") or not fields or name not in fields:
            return 0  # introspection is bounded by the schema's size; unknown names failed validation
        field = fields[name]
        inner = get_named_type(field.type)
        size = self._page_size(node, field, f"{parent.name}.{name}")
        if inner.name.endswith(CONNECTION):  # the page multiplies its edges, not the connection
            self._pages.append(size if size is not None else self.max_page_size)
            try:
                return 1 + self.cost(node.selection_set, inner)
            finally:
                self._pages.pop()
        if parent.name.endswith(CONNECTION) and name in PAGED_FIELDS and self._pages:
            size = self._pages[-1]
        if size is None:
            size = LIST_ESTIMATES.get((parent.name, name), LIST_ESTIMATE) if _is_list(field) else 1
        return size * (1 + self.cost(node.selection_set, inner))

    def _page_size(self, node: FieldNode, field: GraphQLField, where: str) -> int | None:
        for argument in PAGE_ARGUMENTS:
            if argument not in field.args:
                continue
            value = field.args[argument].default_value
            given = next((a for a in node.arguments or () if a.name.value == argument), None)
            if given is not None:
                self.read_variables = self.read_variables or isinstance(given.value, VariableNode)
                value = value_from_ast(given.value, field.args[argument].type, self.variables)
            if value is None and field.args[argument].default_value is None:
                return None  # an optional page size left out: the whole list, estimated as any list
            if not isinstance(value, int):
                return self.max_page_size
            if value < 0:
                raise _Refused(f"{where}({argument}: {value}): a page size cannot be negative")
            if value > self.max_page_size:
                raise _Refused(
                    f"{where}({argument}: {value}) asks for more than the page-size limit of {self.max_page_size}"
                )
            return value
        return None


def _is_list(field: GraphQLField) -> bool:
    return is_list_type(get_nullable_type(field.type))


def extensions(settings: Settings) -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    """The limit extensions for ``settings`` (factories: Strawberry makes one per operation) and
    what they share between operations: the validation rules of the limits, built once, and the
    query texts that passed validation and the estimate, remembered for the schema they serve."""
    rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    if not settings.schema_exposed:
        rules += DisableIntrospection().validation_rules
    validated, estimated = PassedQueries(), PassedQueries()
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: BoundedValidation(
            max_fields=settings.max_fields, hide_suggestions=not settings.schema_exposed, passed=validated
        ),
        lambda: AddValidationRules(rules),
        lambda: QueryCost(
            max_cost=settings.max_query_cost, max_page_size=settings.max_page_size, passed=estimated
        ),
    ]
