"""The schema extension that writes each operation's audit events in one go.

Resolvers note reads of individual-level data (``Context.audit``) and refusals (``refuse``).
Mutations need no help from their resolvers: every root field of a mutation is recorded,
refused or failed ones included, so a mutation added later cannot forget its audit entry.
"""

from __future__ import annotations

import logging

from graphql import FieldNode, GraphQLError, OperationType, get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType as StrawberryOperation

from api.audit_writer import writer_for
from api.context import Context, Info
from api.viewer import PermissionDenied
from domain import audit
from domain.errors import is_database_unavailable

log = logging.getLogger(__name__)


def refuse(info: Info, what: str, target: str | None, message: str) -> PermissionDenied:
    """Note the refused read and return the error to raise."""
    info.context.audit(f"denied:{what}", target)
    return PermissionDenied(message)


def _outcome(errors: list[GraphQLError], key: str) -> str:
    for error in errors:
        if error.path and error.path[0] == key:
            return ":refused" if isinstance(error.original_error, PermissionDenied) else ":failed"
    return ""


class AuditTrail(SchemaExtension):
    """Writes the entry before the answer leaves — in the operation's held session, or with the
    entries of the operations ending at the same time (:mod:`api.audit_writer`) — and lets the
    operation's session go."""

    def on_execute(self):
        """A mutation's reads do not hold a session: its writes take connections of their own,
        and twenty mutations each holding one while waiting for another would empty the pool."""
        context = self.execution_context.context
        if (
            isinstance(context, Context)
            and self.execution_context.operation_type is not StrawberryOperation.QUERY
        ):
            context.reads.hold = False
        yield

    async def on_operation(self):
        yield
        execution = self.execution_context
        context = execution.context
        if not isinstance(context, Context):
            return
        try:
            self._note_mutations(context)
            if context.audit_events:
                events = list(context.audit_events)
                actor = context.viewer.actor
                try:
                    await self._write(context, actor, events)
                except Exception as error:  # noqa: BLE001  (reported through the masking below, never raw)
                    self._not_written(context, events, error)
        finally:
            context.reads.release()

    @staticmethod
    async def _write(context: Context, actor: str, events: list[tuple[str, str | None]]) -> None:
        """In the session the operation's reads held, if they held one (PostgreSQL: after its
        last wave, no other connection taken, measured cheaper there than a round of the writer);
        otherwise with the entries of the operations ending at the same time (a SQLite file,
        whose reads ran on the loop; a mutation)."""
        if context.reads.hold:
            await context.reads.finish(lambda session: audit.record_in(session, actor, events))
            return
        context.reads.release()
        await writer_for(context.engine).write(actor, events)

    def _not_written(self, context: Context, events: list[tuple[str, str | None]], error: Exception) -> None:
        """The entry could not be written (the database is down): it goes to the log instead —
        who and what, the number of subjects but not the subjects, which name people — and the
        answer gains the error, which :class:`api.errors.ErrorMasking` (outside this extension)
        masks, unless it already says the database is unavailable."""
        actions = ", ".join(dict.fromkeys(action for action, _ in events))
        subjects = len({target for _, target in events if target is not None})
        log.error(
            "request %s: audit entry not written (%s): actor %s, actions %s, %d subject(s)",
            context.request_id,
            type(error).__name__,
            context.viewer.actor,
            actions,
            subjects,
        )
        result = self.execution_context.result
        if result is None:
            return
        errors = list(getattr(result, "errors", None) or [])
        if any(is_database_unavailable(e.original_error) for e in errors if e.original_error) and (
            is_database_unavailable(error)
        ):
            return
        result.errors = [*errors, GraphQLError(str(error), original_error=error)]

    def _note_mutations(self, context: Context) -> None:
        execution = self.execution_context
        result = execution.result
        if execution.graphql_document is None or result is None:
            return
        errors = list(getattr(result, "errors", None) or [])
        if errors and result.data is None and not any(e.path for e in errors):
            return  # invalid: nothing was executed
        operation = get_operation_ast(execution.graphql_document, execution.operation_name)
        if operation is None or operation.operation is not OperationType.MUTATION:
            return
        noted = {action for action, _ in context.audit_events}
        for selection in operation.selection_set.selections:
            if not isinstance(selection, FieldNode) or selection.name.value.startswith("__"):
                continue
            key = selection.alias.value if selection.alias else selection.name.value
            action = f"mutation:{selection.name.value}{_outcome(errors, key)}"
            if action not in noted:
                context.audit(action)
