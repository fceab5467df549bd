"""`thidua export KIND ID --out FILE` for the commune's documents (models/documents):
the extension chooses the format, one the kind cannot produce is refused."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.documents.kinds import KINDS


def kinds_help() -> str:
    return ", ".join(f"{name} {kind.called.upper()} ({kind.what}: {kind.identifier}; "
                     f"{'/'.join(kind.formats)})" for name, kind in KINDS.items())


def export_document(cfg, args) -> int:
    from cli.commands import _open
    from models.documents import kinds
    from models.errors import RuleError

    kind = KINDS[args.kind]
    if not args.number:
        raise RuleError(f"Thiếu {kind.called}: thidua export {args.kind} "
                        f"{kind.called.upper()} --out TỆP ({kind.identifier}).")
    path = Path(args.out).expanduser()
    kinds.format_of(args.kind, path)   # refused before the database is opened
    _open(cfg, args, upgrade=False)
    written = kinds.export(cfg, args.kind, args.number, args.year or dt.date.today().year, path)
    print(f"Đã xuất {kind.what} {kind.called} {args.number} vào {written}.")
    return 0
