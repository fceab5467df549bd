"""Long listings read a page at a time, with the query plan tuned for the filter typed.

A screen's list asks a `Listing` how many records match and for one page of them;
the listing builds the query and chooses how the database should walk it, so the
screens never see a query.
"""
from __future__ import annotations

from typing import Callable

import peewee as pw

# With at most this many matches per row asked for, sorting the matches beats
# walking the sort index (see `unindexed_order`).
FEW_MATCHES = 8


class Listing:
    """The records `build(query)` selects for the filter typed: filtered, ordered,
    joined as the list shows them."""

    def __init__(self, build: Callable[[str], pw.ModelSelect]) -> None:
        self._build = build
        self._counted: tuple[str, int] | None = None

    def count(self, query: str) -> int:
        self._counted = (query, self._build(query).count())
        return self._counted[1]

    def rows(self, query: str, offset: int, limit: int) -> list[pw.Model]:
        select = self._build(query)
        counted = self._counted
        if counted is not None and counted[0] == query \
                and counted[1] <= FEW_MATCHES * (offset + limit):
            select = unindexed_order(select)
        return list(select.offset(offset).limit(limit))


def unindexed_order(select: pw.ModelSelect) -> pw.ModelSelect:
    """The same order, without the index on the first sort column.

    Ordered by an indexed column (sort_key), the database walks that index and
    tests every row against the filter until a page is full: quick when many
    rows match, but with few matches (a full name typed: "nguyen van hai" is
    123 of 50,000) it walks the whole index, one table lookup per row, about
    35 ms. With `column || ''` it scans the table once and sorts the few
    matches: about 5 ms. Only for text columns, whose order `|| ''` keeps.
    """
    order = list(select._order_by or ())
    if not order:
        return select
    first = order[0]
    node = first.node if isinstance(first, pw.Ordering) else first
    if not isinstance(node, (pw.CharField, pw.TextField)):
        return select
    plain = node.concat("")
    if isinstance(first, pw.Ordering):
        plain = pw.Ordering(plain, first.direction, first.collation, first.nulls)
    return select.order_by(plain, *order[1:])
