"""What a file of each import kind looks like: the columns `thidua import KIND --help`
lists, and the sheet `thidua export template KIND` writes (the headers, the required
ones starred, and one example row) for an officer to fill in."""
from __future__ import annotations

import textwrap

from models.io.imports import module
from models.io.kinds import IMPORT_KINDS
from models.io.writer import Sheet


def _header(column) -> str:
    return column.header + ("*" if column.required else "")


def columns_help(kind: str) -> str:
    lines = ["Các cột (dòng đầu của tệp, có dấu hay không đều được; * là bắt buộc):"]
    for c in module(kind).COLUMNS:
        lines.append(textwrap.fill(f"{_header(c)}" + (f": {c.hint}" if c.hint else ""),
                                   width=78, initial_indent="  ", subsequent_indent="      "))
    return "\n".join(lines)


def template_sheet(kind: str) -> Sheet:
    kind_module = module(kind)
    columns = kind_module.COLUMNS
    return Sheet(f"Mẫu {IMPORT_KINDS[kind]}"[:31],
                 [(_header(c), c.type, max(c.width, len(c.header) + 3)) for c in columns],
                 [[kind_module.EXAMPLE.get(c.name) for c in columns]])
