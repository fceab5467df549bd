"""The `thidua` command: open the app, or run one administrative command.

Every failure is one Vietnamese line on stderr and a non-zero exit status;
no traceback reaches the user.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

SCREENS = ("units", "people", "campaigns", "reports", "nominations", "vote", "decisions",
           "lookup", "audit", "online", "users")


def _common(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--db", default=default, metavar="ĐƯỜNG_DẪN|URL",
                        help="cơ sở dữ liệu: đường dẫn tệp SQLite, sqlite:///... "
                             "hoặc postgresql://...")
    parser.add_argument("--config", default=default, metavar="TỆP",
                        help="tệp cấu hình TOML (mặc định: $THIDUA_CONFIG, rồi "
                             "~/.config/thidua/config.toml)")


def build_parser() -> argparse.ArgumentParser:
    from cli import argparse_vi, commands, spreadsheets

    argparse_vi.install()
    parser = argparse.ArgumentParser(
        prog="thidua", description="Thi đua - khen thưởng cấp xã. Không có lệnh con: mở ứng dụng.")
    _common(parser, None)
    parser.add_argument("--as", dest="login", metavar="TÊN_ĐĂNG_NHẬP",
                        help="đăng nhập với tên này (chỉ tài khoản dịch vụ SSH được dùng)")
    parser.add_argument("--open", dest="screen", choices=SCREENS, metavar="MÀN_HÌNH",
                        help="mở thẳng một màn hình: " + ", ".join(SCREENS))
    parser.add_argument("--demo", action="store_true",
                        help="mở cơ sở dữ liệu mẫu (tạo lần đầu), đăng nhập là Văn phòng")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="lệnh")

    # Options may stand after any (sub)command, as people type them.
    common = argparse.ArgumentParser(add_help=False)
    _common(common, argparse.SUPPRESS)

    def command(name: str, help_text: str, within=sub, extra=()) -> argparse.ArgumentParser:
        return within.add_parser(name, help=help_text, description=help_text,
                                 parents=[common, *extra])

    init = command("init", "tạo cơ sở dữ liệu, thông tin xã và quản trị viên đầu tiên")
    init.add_argument("--admin", default="vanphong", metavar="TÊN_ĐĂNG_NHẬP",
                      help="tên đăng nhập của quản trị viên (mặc định: vanphong)")
    init.add_argument("--admin-name", default="Văn phòng UBND xã", metavar="TÊN",
                      help="tên hiển thị của quản trị viên")
    demo = command("demo", "tạo một xã mẫu đầy đủ (cùng hạt giống, cùng dữ liệu)")
    demo.add_argument("--persons", type=int, default=commands.DEMO_PERSONS, metavar="N",
                      help=f"số người (mặc định {commands.DEMO_PERSONS})")
    demo.add_argument("--seed", type=int, default=commands.DEMO_SEED, metavar="S",
                      help="hạt giống ngẫu nhiên")
    command("migrate", "nâng cấp lược đồ cơ sở dữ liệu lên phiên bản mới nhất")
    check = command("check", "kiểm tra toàn vẹn, khóa ngoại, nhật ký thay đổi và từng dòng")
    check.add_argument("--seal", action="store_true",
                       help="bắt đầu chuỗi nhật ký có khóa bí mật (cơ sở dữ liệu tạo trước khi có)")
    backup = command("backup", "sao lưu nhất quán (kể cả khi đang có người ghi)")
    backup.add_argument("dest", nargs="?", metavar="ĐÍCH",
                        help="tệp hoặc thư mục đích (mặc định: thidua-NGÀY-GIỜ.sqlite "
                             "trong thư mục [backup] dir của cấu hình)")
    backup.add_argument("--rotate", action="store_true",
                        help="sao lưu vào [backup] dir rồi chỉ giữ [backup] daily bản theo ngày "
                             "và monthly bản theo tháng (cho cron hoặc systemd timer)")
    move = command("migrate-db", "chuyển cơ sở dữ liệu của xã sang máy chủ khác "
                                 "(SQLite sang PostgreSQL) rồi kiểm tra")
    move.add_argument("--from", dest="source", required=True, metavar="URL",
                      help="nguồn: sqlite:///đường/dẫn.sqlite hoặc đường dẫn tệp")
    move.add_argument("--to", dest="target", required=True, metavar="URL",
                      help="đích, còn trống: postgresql://user@host/thidua")
    restore = command("restore", "phục hồi từ bản sao lưu (ghi đè dữ liệu hiện tại)")
    restore.add_argument("src", metavar="NGUỒN", help="tệp sao lưu")
    restore.add_argument("--yes", action="store_true", help="xác nhận ghi đè, không hỏi lại")
    user = command("user", "quản lý người dùng")
    user_sub = user.add_subparsers(dest="user_command", metavar="VIỆC", title="việc", required=True)
    add = command("add", "thêm người dùng", user_sub)
    add.add_argument("login", metavar="TÊN_ĐĂNG_NHẬP")
    add.add_argument("--name", required=True, metavar="TÊN", help="tên hiển thị")
    add.add_argument("--roles", required=True, metavar="VAI_TRÒ",
                     help="vai trò, cách nhau bằng dấu phẩy: admin, chairman, finance, "
                          "unit_officer, council_member, council_secretary, viewer")
    add.add_argument("--unit", action="append", default=[], metavar="MÃ|TÊN",
                     help="đơn vị được sửa, theo mã (T01) hoặc đúng tên (\"Thôn 1\"); "
                          "lặp lại cho nhiều đơn vị")
    add.add_argument("--person", metavar="NGƯỜI",
                     help="người của tài khoản (để tránh tự xét mình): số CCCD, mã số, "
                          "hoặc \"Họ và tên, dd/mm/yyyy\"")
    command("list", "liệt kê người dùng", user_sub)
    for name, help_text in (("disable", "khóa tài khoản (phiên đang mở sẽ kết thúc)"),
                            ("enable", "mở lại tài khoản đã khóa")):
        command(name, help_text, user_sub).add_argument("login", metavar="TÊN_ĐĂNG_NHẬP")
    keys = command("key", "quản lý khóa SSH của cán bộ trong authorized_keys")
    key_file = argparse.ArgumentParser(add_help=False)
    key_file.add_argument("--authorized-keys", metavar="TỆP",
                          help="tệp authorized_keys (mặc định: theo cấu hình [ssh])")
    key_sub = keys.add_subparsers(dest="key_command", metavar="VIỆC", title="việc", required=True)
    key_add = command("add", "gán một khóa công khai cho người dùng", key_sub, [key_file])
    key_add.add_argument("login", metavar="TÊN_ĐĂNG_NHẬP")
    key_add.add_argument("pubkey", metavar="TỆP_KHÓA_CÔNG_KHAI",
                         help="tệp .pub (OpenSSH) hoặc khóa công khai của PuTTYgen; "
                              "- đọc từ đầu vào")
    command("list", "liệt kê các khóa", key_sub, [key_file])
    key_remove = command("remove", "gỡ khóa của người dùng", key_sub, [key_file])
    key_remove.add_argument("login", metavar="TÊN_ĐĂNG_NHẬP")
    key_remove.add_argument("--fingerprint", metavar="SHA256:...",
                            help="chỉ gỡ khóa có dấu vân tay này")
    key_sftp = command("sftp", "in các khóa của cán bộ cho cửa trao đổi tệp "
                               "(AuthorizedKeysCommand của sshd gọi)", key_sub, [key_file])
    key_sftp.add_argument("login", metavar="TÊN_ĐĂNG_NHẬP")
    council = command("council", "thành viên Hội đồng Thi đua - Khen thưởng")
    council_sub = council.add_subparsers(dest="council_command", metavar="VIỆC", title="việc",
                                         required=True)
    member = command("add", "thêm thành viên Hội đồng (một người dùng)", council_sub)
    member.add_argument("login", metavar="TÊN_ĐĂNG_NHẬP")
    member.add_argument("--role", required=True, metavar="CHỨC_DANH",
                        help="chair, vice_chair, standing, secretary hoặc member")
    member.add_argument("--from", dest="term_from", required=True, metavar="dd/mm/yyyy",
                        help="nhiệm kỳ từ ngày")
    member.add_argument("--to", dest="term_to", metavar="dd/mm/yyyy", help="nhiệm kỳ đến ngày")
    command("list", "liệt kê thành viên Hội đồng đang trong nhiệm kỳ", council_sub)
    print_file = command("print", "in một văn bản .pdf hoặc .docx trên máy in của xã "
                                  "([print] queue)")
    print_file.add_argument("file", metavar="TỆP")
    doctor = command("doctor", "kiểm tra cài đặt máy chủ: tài khoản dịch vụ, khóa, sshd, dữ liệu")
    doctor.add_argument("--sshd-config", metavar="TỆP", default=None,
                        help="cấu hình của sshd phục vụ thidua (mặc định /etc/ssh/sshd_config)")
    lookup = command("lookup", "tra cứu lịch sử khen thưởng của người, hộ, đơn vị (không cần dấu)")
    lookup.add_argument("query", metavar="TÊN",
                        help="tên, không cần dấu, ví dụ \"nguyen van hung\"")
    lookup.add_argument("--json", action="store_true", help="in dạng JSON cho chương trình khác")
    lookup.add_argument("--limit", type=int, default=20, metavar="N",
                        help="in tối đa N kết quả (mặc định 20)")
    spreadsheets.add_parsers(command)
    return parser


def fail(message: str, status: int = 1) -> int:
    print(f"thidua: {message}", file=sys.stderr)
    return status


def crash_report(exc: BaseException) -> str:
    """Keep the details of an unexpected failure for the administrator; the user
    gets one line saying where they are."""
    import tempfile
    import traceback

    from config import data_dir

    text = "".join(traceback.format_exception(exc))
    for folder in (data_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / "thidua-crash.log"
            with open(path, "a", encoding="utf-8") as log:
                log.write(text + "\n")
            return str(path)
        except OSError:
            continue
    return "(không ghi được)"


def fill_closed_streams() -> None:
    """`thidua ... >&-`: Python leaves a closed stdout or stderr as None, and the next
    file opened (the database, a socket) would take its descriptor, where a stray
    write would land. /dev/null takes it first, and what is printed goes there."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            null = os.open(os.devnull, os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            setattr(sys, name, open(fd, "w", encoding="utf-8", closefd=False))


def main(argv: list[str] | None = None) -> int:
    fill_closed_streams()
    if argv is None:
        # The `thidua` command itself: an SSH session may be handed to the session
        # server, which calls main(argv) in a forked child. Imported before anything
        # else, since this process then only waits (cli/session_client.py).
        from cli import session_client

        status = session_client.through_server(sys.argv[1:])
        if status is not None:
            return status
    from cli import output

    output.install()
    with output.reader_may_leave():
        return _run_or_say(build_parser().parse_args(argv))


def _run_or_say(args: argparse.Namespace) -> int:
    import peewee

    from config import ConfigError
    from models.errors import ThiduaError

    try:
        return run(args)
    except BrokenPipeError:
        raise  # the reader left: not a defect (see output.reader_may_leave)
    except ConfigError as exc:
        return fail(str(exc), 2)
    except ThiduaError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except peewee.OperationalError as exc:
        return fail(f"Cơ sở dữ liệu báo lỗi: {exc}. Thử lại sau giây lát; "
                    "nếu còn lỗi, chạy “thidua check”.")
    except Exception as exc:  # a defect: never show a traceback to an officer
        return fail(f"Lỗi không mong đợi ({type(exc).__name__}); chi tiết đã ghi vào "
                    f"{crash_report(exc)}. Dữ liệu đã lưu không bị ảnh hưởng.")


def run(args: argparse.Namespace) -> int:
    from cli import commands
    from config import load_config

    cfg = load_config(args.config)
    if args.command is None:
        return commands.open_app(cfg, args)
    # Like any Unix tool: `thidua user list | head` stops quietly when head has enough.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    return commands.COMMANDS[args.command](cfg, args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
