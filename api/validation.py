"""Validation whose cost is bounded, run off the event loop, that suggests no names when the
schema is hidden.

graphql-core's rule for overlapping fields compares every pair of fields that answer under the
same name in the same place, so ``{ metrics { code } metrics { code } … }`` 600 times (10 KB)
took over a second to refuse; the depth and alias rules and the cost estimate expand every
fragment spread, so fragments that each spread the next twice cost 2ⁿ. :func:`measure` counts
the document first, in one pass that stops at the limit: each field, inline fragment and
fragment spread (a spread's fragment counted again wherever it is spread), and how often one
response name, or a fragment spread, occurs in the same place. The pairs that rule compares
are then at most ``MAX_REPEATS`` × ``SALON_MAX_FIELDS``, and whatever expands fragments sees
at most ``SALON_MAX_FIELDS`` selections. A refused query costs a walk of at most that many
nodes; an accepted one is validated in a worker thread, so a slow validation does not hold up
other requests (``/healthz``) on the event loop.

Clients send the same few query texts again and again (a screen's query, with other variables),
and validating the dashboard's took more of a request's time than running it. A text that passed
is remembered (:class:`PassedQueries`) and not validated again: the answer depends only on the
text, the schema and the rules, and the last two are fixed for a schema. Refused texts are not
remembered, so they cost their walk every time, as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable

from anyio import to_thread
from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    specified_rules,
    validate,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from api.errors import TooComplex

# One response name (or fragment spread) this often in one place is never needed: a client
# asks for a field once and merges what it needs under it.
MAX_REPEATS = 10
MAX_SPREADS = 20  # fragment spreads in one place (also through fragments): the rule compares each pair
PASSED_QUERIES = 256  # distinct query texts remembered as valid: a client's screens, many times over
_SPREAD = "..."  # the name fragment spreads are counted under


class _Place:
    """Where a selection answers: the response path of its selection set."""

    __slots__ = ("children", "counts", "name", "parent")

    def __init__(self, parent: _Place | None, name: str) -> None:
        self.parent = parent
        self.name = name
        self.counts: dict[str, int] = {}
        self.children: dict[str, _Place] = {}

    def child(self, name: str) -> _Place:
        """The one place of every field answering as ``name`` here (their selections merge)."""
        place = self.children.get(name)
        if place is None:
            place = self.children[name] = _Place(self, name)
        return place

    def path(self) -> str:
        names = []
        place: _Place | None = self
        while place is not None and place.parent is not None:
            names.append(place.name)
            place = place.parent
        return ".".join(reversed(names)) or "the top level"


def measure(
    document: DocumentNode, max_fields: int, max_repeats: int = MAX_REPEATS, max_spreads: int = MAX_SPREADS
) -> str | None:
    """Why ``document`` is too large to validate, or None when it is not.

    Walks operations first, then the fragments they did not spread (validation visits those
    too), without recursion (a chain of fragments may be long); a fragment spread within
    itself is not followed (validation reports the cycle)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    roots = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    roots += fragments.values()
    expanded: set[str] = set()
    total = 0
    for root in roots:
        if isinstance(root, FragmentDefinitionNode) and root.name.value in expanded:
            continue
        top = _Place(None, "")
        active = frozenset([root.name.value]) if isinstance(root, FragmentDefinitionNode) else frozenset()
        stack: list[tuple[SelectionSetNode, _Place, frozenset[str]]] = [(root.selection_set, top, active)]
        while stack:
            selection_set, place, active = stack.pop()
            for selection in selection_set.selections:
                total += 1
                if total > max_fields:
                    return (
                        f"the query has more than {max_fields:,} selections (fields, and fragments counted "
                        "where they are spread): ask for less in one request"
                    )
                if isinstance(selection, FieldNode):
                    name = (selection.alias or selection.name).value
                elif isinstance(selection, FragmentSpreadNode):
                    name = _SPREAD
                else:
                    name = None
                if name is not None:
                    count = place.counts[name] = place.counts.get(name, 0) + 1
                    if name == _SPREAD and count > max_spreads:
                        return (
                            f"more than {max_spreads} fragments are spread at {place.path()} "
                            "(fragments spread in them included): merge some of them"
                        )
                    if name != _SPREAD and count > max_repeats:
                        return (
                            f"'{name}' is selected more than {max_repeats} times at {place.path()}: "
                            "select it once and merge what you need under it"
                        )
                if isinstance(selection, FieldNode):
                    if selection.selection_set is not None:
                        stack.append((selection.selection_set, place.child(name), active))
                elif isinstance(selection, InlineFragmentNode):
                    stack.append((selection.selection_set, place, active))
                else:
                    fragment = fragments.get(selection.name.value)
                    if fragment is not None and fragment.name.value not in active:
                        expanded.add(fragment.name.value)
                        stack.append((fragment.selection_set, place, active | {fragment.name.value}))
    return None


class PassedQueries:
    """Query texts (or texts and operation names) that passed a check against one schema and its
    rules, the least recently used forgotten first. Bounded, so unique texts cannot grow it;
    shared by every operation's extension of one schema, and between threads."""

    def __init__(self, max_entries: int = PASSED_QUERIES) -> None:
        self.max_entries = max_entries
        self._texts: OrderedDict[Hashable, None] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, query: Hashable) -> bool:
        with self._lock:
            if query not in self._texts:
                return False
            self._texts.move_to_end(query)
            return True

    def add(self, query: Hashable) -> None:
        with self._lock:
            self._texts[query] = None
            self._texts.move_to_end(query)
            while len(self._texts) > self.max_entries:
                self._texts.popitem(last=False)


class BoundedValidation(SchemaExtension):
    """Runs validation itself (Strawberry then skips its own), with suggestions ("Did you mean
    …?") left out when the schema is hidden: refused by :func:`measure`, else in a worker
    thread, the limit rules (depth, aliases: cheap once :func:`measure` has passed) and only
    when they pass graphql-core's rules with Strawberry's two additions, as
    ``strawberry.schema.schema.validate_document`` runs them. A text in ``passed`` is not
    validated again; one that passes is added to it."""

    def __init__(self, max_fields: int, hide_suggestions: bool, passed: PassedQueries | None = None) -> None:
        self.max_fields = max_fields
        self.hide_suggestions = hide_suggestions
        self.passed = passed

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if context.pre_execution_errors is None and context.validation_rules and document is not None:
            query = context.query if self.passed is not None else None
            if query and query in self.passed:
                context.pre_execution_errors = []
            elif (refusal := measure(document, self.max_fields)) is not None:
                context.pre_execution_errors = [TooComplex(refusal)]
            else:
                context.pre_execution_errors = await to_thread.run_sync(
                    self._validate, context.schema._schema, document, context.validation_rules
                )
                if query and not context.pre_execution_errors:
                    self.passed.add(query)
        yield

    def _validate(
        self, schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
    ) -> list[GraphQLError]:
        limits = tuple(rule for rule in rules if rule not in specified_rules)
        rules = (*rules, MaybeNullValidationRule, OneOfInputValidationRule)
        refused = validate(schema, document, limits, hide_suggestions=self.hide_suggestions)
        if refused:
            return [TooComplex(error.message) for error in refused]
        return validate(schema, document, rules, hide_suggestions=self.hide_suggestions)
