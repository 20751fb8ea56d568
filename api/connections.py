"""Relay cursor connections (``first``/``after``, ``pageInfo``, ``totalCount``) for the long
lists, added next to the plain list fields they page (``employeesConnection`` next to
``employees``), so existing queries keep working.

Cursors are opaque offsets into the list as its field orders it; a list is read whole by its
DataLoader (one query for every parent asking), so a page is a slice of it and ``totalCount`` is
its length."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Annotated, Generic, TypeVar

import strawberry
from sqlalchemy import func
from sqlmodel import select

from domain.errors import InvalidArgument

Row = TypeVar("Row")
T = TypeVar("T")

DEFAULT_PAGE = 50  # a page when `first` is omitted; the query cost counts this too
_PREFIX = "offset:"

PAGE_SIZE = Annotated[
    int,
    strawberry.argument(description="The page size: at most this many edges (the page-size limit applies)."),
]
AFTER = Annotated[
    str | None,
    strawberry.argument(description="The `endCursor` of the page before; omitted for the first page."),
]


@strawberry.type(description="Where a page sits in its list (Relay's PageInfo).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More edges follow this page.")
    has_previous_page: bool = strawberry.field(description="Edges come before this page.")
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first edge; null when empty."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last edge: pass it as `after` for the next page; null when empty."
    )


@strawberry.type(description="One item of a page, with the cursor that points at it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque: pass it back as `after`.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list (Relay's cursor connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The page's items, in the list's order.")
    page_info: PageInfo = strawberry.field(description="Where the page sits in the list.")
    total_count: int = strawberry.field(description="How many items the whole list has.")


def cursor_at(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def offset_after(after: str | None) -> int:
    """The offset of the first edge after ``after``; a cursor this API did not give is refused."""
    if after is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(after.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    number = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not (number.isascii() and number.isdigit()):
        raise InvalidArgument(f"after: not a cursor of this list: {after[:40]!r}")
    return int(number) + 1


def page(rows: Sequence[Row], first: int, after: str | None, node: Callable[[Row], T]) -> Connection[T]:
    """The page of ``rows`` after ``after``, ``first`` long."""
    if first < 0:
        raise InvalidArgument(f"first: a page size cannot be negative, got {first}")
    start = offset_after(after)
    chosen = rows[start : start + first]
    edges = [Edge(cursor=cursor_at(start + i), node=node(row)) for i, row in enumerate(chosen)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + len(chosen) < len(rows),
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=len(rows),
    )


async def sql_page(read, statement, first: int, after: str | None, node: Callable[[Row], T]) -> Connection[T]:
    """The page of an ordered ``statement``'s rows, read with OFFSET/LIMIT: two statements (the page
    and the count) whatever the list's length."""
    if first < 0:
        raise InvalidArgument(f"first: a page size cannot be negative, got {first}")
    start = offset_after(after)
    counting = select(func.count()).select_from(statement.order_by(None).subquery())

    def query(session) -> tuple[list, int]:
        rows = list(session.exec(statement.offset(start).limit(first)).all())
        return rows, session.exec(counting).one()

    rows, total = await read(query)
    edges = [Edge(cursor=cursor_at(start + i), node=node(row)) for i, row in enumerate(rows)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + len(rows) < total,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )
