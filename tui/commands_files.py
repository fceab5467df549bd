"""`thidua import KIND FILE [--dry-run]` and `thidua export KIND --out FILE`:
the same models/spreadsheets.py the app's import and export screens call."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.access import SYSTEM
from models.spreadsheet_kinds import EXPORT_KINDS, IMPORT_KINDS
from models.schema_reports import DEADLINE_KINDS

ERRORS_PRINTED = 50


def add_parsers(command) -> None:
    """Add the two subcommands (`command` is build_parser's helper)."""
    imp = command("import", "nhập đơn vị, hộ gia đình hoặc người từ tệp .xlsx/.csv")
    imp.add_argument("kind", choices=list(IMPORT_KINDS), metavar="LOẠI",
                     help="units (đơn vị), households (hộ gia đình) hoặc people (người)")
    imp.add_argument("file", metavar="TỆP", help="tệp .xlsx hoặc .csv, dòng đầu là tiêu đề cột")
    imp.add_argument("--dry-run", action="store_true",
                     help="chỉ kiểm tra và cho xem trước, không ghi gì")
    imp.add_argument("--encoding", metavar="BẢNG_MÃ",
                     help="bảng mã của tệp CSV (mặc định: tự nhận UTF-8 hoặc Windows-1258)")
    exp = command("export", "xuất một danh sách ra tệp .xlsx")
    exp.add_argument("kind", choices=list(EXPORT_KINDS), metavar="LOẠI",
                     help=", ".join(f"{k} ({v})" for k, v in EXPORT_KINDS.items()))
    exp.add_argument("--out", required=True, metavar="TỆP", help="tệp .xlsx sẽ ghi")
    exp.add_argument("--campaign", type=int, metavar="SỐ",
                     help="mã phong trào (cho dashboard, ranking, registrations)")
    exp.add_argument("--period", default="six_month", choices=list(DEADLINE_KINDS),
                     metavar="KỲ", help="kỳ: " + ", ".join(DEADLINE_KINDS))


def import_file(cfg, args) -> int:
    from models import spreadsheets  # here, not at the top: see models/spreadsheet_kinds.py
    from tui.commands import _open

    _open(cfg, args)
    plan = spreadsheets.prepare(args.kind, Path(args.file).expanduser(), args.encoding)
    print(f"{plan.file_name}: {plan.summary()}.")
    if plan.ignored:
        print("Bỏ qua các cột: " + ", ".join(plan.ignored))
    if plan.errors:
        for line in plan.error_lines(ERRORS_PRINTED):
            print(line)
        print("Chưa ghi gì: sửa các lỗi trên rồi nhập lại.")
        return 1
    if args.dry_run:
        print("Chạy thử (--dry-run): chưa ghi gì.")
        return 0
    done = spreadsheets.apply(SYSTEM, plan)
    print(f"Đã nhập: thêm {done['insert']}, cập nhật {done['update']}, "
          f"không đổi {done['same']}.")
    return 0


def export_file(cfg, args) -> int:
    from models import spreadsheets
    from tui.commands import _open

    _open(cfg, args, upgrade=False)
    path, count = spreadsheets.export(args.kind, Path(args.out).expanduser(), cfg,
                                      args.campaign, args.period, dt.date.today())
    print(f"Đã xuất {count} dòng vào {path}.")
    return 0
