"""`thidua import KIND FILE [--dry-run]`, `thidua export KIND --out FILE` and
`thidua export template KIND --out FILE`: the same models/io imports and exports the
app's import and export screen calls. Documents (`export decision 112 --out x.docx`)
are cli/documents.py's."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from cli import documents
from models.cycle.tables import DEADLINE_KINDS
from models.documents.kinds import KINDS as DOCUMENT_KINDS
from models.io.kinds import EXPORT_KINDS, IMPORT_KINDS
from models.registry.access import SYSTEM

ERRORS_PRINTED = 50


class _KindParser(argparse.ArgumentParser):
    """`thidua import KIND --help` ends with KIND's columns, read from its module only
    when asked: importing every kind's module costs each start of the app."""

    def format_help(self) -> str:
        from models.io import templates
        self.epilog = templates.columns_help(self.prog.rsplit(" ", 1)[-1])
        return super().format_help()


def add_parsers(command) -> None:
    """Add the two subcommands (`command` is build_parser's helper)."""
    imp = command("import", "nhập từ tệp .xlsx/.csv: " + ", ".join(IMPORT_KINDS.values()))
    kinds = imp.add_subparsers(dest="kind", metavar="LOẠI", title="loại", required=True,
                               parser_class=_KindParser)
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("file", metavar="TỆP",
                         help="tệp .xlsx hoặc .csv, dòng đầu là tiêu đề cột")
    options.add_argument("--dry-run", action="store_true",
                         help="chỉ kiểm tra và cho xem trước, không ghi gì")
    options.add_argument("--encoding", metavar="BẢNG_MÃ",
                         help="bảng mã của tệp CSV (mặc định: tự nhận UTF-8 hoặc "
                              "Windows-1258)")
    for kind, what in IMPORT_KINDS.items():
        command(kind, f"nhập {what}", kinds, [options]).formatter_class = \
            argparse.RawDescriptionHelpFormatter
    exp = command("export", "xuất văn bản (.docx, .pdf), danh sách (.xlsx) hoặc tệp mẫu để "
                            "nhập")
    exp.add_argument("kind", choices=[*EXPORT_KINDS, *DOCUMENT_KINDS, "template"],
                     metavar="LOẠI",
                     help=", ".join(f"{k} ({v})" for k, v in EXPORT_KINDS.items())
                     + ", " + documents.kinds_help() + ", template LOẠI "
                       "(tệp mẫu để nhập: tiêu đề cột và một dòng ví dụ)")
    exp.add_argument("number", nargs="?", metavar="SỐ",
                     help="với văn bản: số của nó (quyết định: 112 hoặc 112/QĐ-UBND); với "
                          "template: loại cần nhập (" + ", ".join(IMPORT_KINDS) + ")")
    exp.add_argument("--year", type=int, metavar="NĂM",
                     help="với quyết định, tờ trình: năm của văn bản (mặc định: năm nay)")
    exp.add_argument("--out", required=True, metavar="TỆP",
                     help="tệp sẽ ghi; đuôi tệp chọn định dạng (.xlsx, .docx, .pdf)")
    exp.add_argument("--campaign", type=int, metavar="SỐ",
                     help="mã phong trào (cho dashboard, ranking, registrations)")
    exp.add_argument("--period", default="six_month", choices=list(DEADLINE_KINDS),
                     metavar="KỲ", help="kỳ: " + ", ".join(DEADLINE_KINDS))


def import_file(cfg, args) -> int:
    from cli.commands import _open
    from models.io import imports

    _open(cfg, args)
    plan = imports.prepare(args.kind, Path(args.file).expanduser(), args.encoding, cfg)
    print(f"{plan.file_name}: {plan.summary()}.")
    if plan.ignored:
        print("Bỏ qua các cột: " + ", ".join(plan.ignored))
    for line in plan.verdict_lines():
        print(line)
    if plan.errors:
        for line in plan.error_lines(ERRORS_PRINTED):
            print(line)
        print("Chưa ghi gì: sửa các lỗi trên rồi nhập lại.")
        return 1
    if args.dry_run:
        print("Chạy thử (--dry-run): chưa ghi gì.")
        return 0
    done = imports.apply(SYSTEM, plan)
    print(f"Đã nhập: thêm {done['insert']}, cập nhật {done['update']}, "
          f"không đổi {done['same']}.")
    return 0


def export_file(cfg, args) -> int:
    if args.kind in DOCUMENT_KINDS:
        return documents.export_document(cfg, args)
    if args.kind == "template":
        return export_template(args)
    if args.number:
        from models.errors import RuleError
        raise RuleError(f"Danh sách “{args.kind}” không nhận số ({args.number}).")
    from cli.commands import _open
    from models.io import exports

    _open(cfg, args, upgrade=False)
    path, count = exports.export(args.kind, Path(args.out).expanduser(), cfg,
                                 args.campaign, args.period, dt.date.today())
    print(f"Đã xuất {count} dòng vào {path}.")
    return 0


def export_template(args) -> int:
    """`thidua export template ratings --out xep-loai.xlsx`: the sheet to fill in."""
    from models.errors import RuleError
    from models.io import exports

    if not args.number:
        raise RuleError("Thiếu loại: thidua export template LOẠI --out TỆP.xlsx (LOẠI: "
                        + ", ".join(IMPORT_KINDS) + ").")
    path = exports.template(args.number, Path(args.out).expanduser())
    print(f"Đã ghi tệp mẫu nhập {IMPORT_KINDS[args.number]} vào {path} "
          f"({exports.EXAMPLE_NOTE}).")
    return 0
