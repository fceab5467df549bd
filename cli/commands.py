"""The bodies of the `thidua` commands: each resolves the store, calls `models/`
and prints the outcome in Vietnamese. Returns the exit status."""
from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import sys
from pathlib import Path

from cli import spreadsheets
from config import data_dir
from models import store, text
from models.admin import doctor, printing, sftp, ssh_keys
from models.errors import PermissionDenied, StoreError, ThiduaError
from models.io.exchange import FilePolicy, over_ssh
from models.registry import commune, units, users
from models.registry.access import SYSTEM, Actor
from models.store import changelog, maintenance, migrations, witness
from models.store.db import sqlite_path

DEMO_OFFICE_LOGIN = "vanphong"
DEMO_PERSONS = 3000
DEMO_SEED = 2023


def db_target(cfg, args) -> str:
    return args.db or cfg.database_url()


def _open(cfg, args, **kwargs):
    use_audit_files(cfg)
    return store.open_store(db_target(cfg, args), **kwargs)


def use_audit_files(cfg) -> None:
    """Where the change log's key and head live ([audit]): every writer must sign."""
    witness.configure(cfg.audit_file("key_file"), cfg.audit_file("head_file"))


def init(cfg, args) -> int:
    _open(cfg, args, create=True)
    if commune.is_empty():  # a new commune's log is keyed from its first entry
        changelog.seal()
    c = cfg.commune
    commune.initialise(c.name, c.place_name, c.province, c.chairman, args.admin, args.admin_name)
    print(f"Đã khởi tạo xã {c.name}; quản trị viên: {args.admin}.")
    return 0


def demo(cfg, args) -> int:
    from models.demo import build as demo_data

    if args.persons < 0 or args.persons > 200_000:
        raise StoreError("Số người của xã mẫu phải từ 0 đến 200.000.")
    _open(cfg, args, create=True)
    summary = demo_data.build(cfg, persons=args.persons, seed=args.seed)
    print(summary)
    return 0


def migrate(cfg, args) -> int:
    database = store.bind(db_target(cfg, args))
    before = migrations.check_not_newer(database)
    if migrations.migrate(database):
        print(f"Đã nâng lược đồ từ phiên bản {before} lên {migrations.LATEST}.")
    else:
        print(f"Lược đồ đã ở phiên bản mới nhất ({migrations.LATEST}).")
    return 0


def check(cfg, args) -> int:
    _open(cfg, args, upgrade=False)
    found = maintenance.problems()
    if found:
        for problem in found:
            print(f"LỖI: {problem}")
        return 1
    if args.seal:
        head = changelog.seal()
        print(f"Đã bắt đầu chuỗi nhật ký có khóa từ mục số {head.start}; khóa ở "
              f"{witness.key_path()}.")
    for notice in changelog.notices():
        print(f"Lưu ý: {notice}.")
    print("Cơ sở dữ liệu toàn vẹn: không phát hiện lỗi.")
    return 0


def backup(cfg, args) -> int:
    _open(cfg, args, upgrade=False)
    if args.rotate and args.dest:
        raise StoreError("--rotate dùng thư mục [backup] dir của cấu hình: bỏ ĐÍCH đi.")
    dest = maintenance.backup(Path(args.dest) if args.dest else _dated_backup(cfg))
    print(f"Đã sao lưu vào {dest}.")
    if args.rotate:
        gone = maintenance.rotate(dest.parent, cfg.backup.daily, cfg.backup.monthly)
        print(f"Giữ {cfg.backup.daily} bản theo ngày, {cfg.backup.monthly} bản theo tháng; "
              f"đã xóa {len(gone)} bản cũ.")
    return 0


def _dated_backup(cfg) -> Path:
    """`<[backup] dir>/thidua-YYYYMMDD-HHMMSS.sqlite`, the folder made on first use;
    owner-only, since a backup holds everything the database does."""
    folder = cfg.backup_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Không tạo được thư mục sao lưu {folder}: {exc.strerror}.") from None
    return folder / maintenance.dated_name(dt.datetime.now())


def restore(cfg, args) -> int:
    target = sqlite_path(db_target(cfg, args))
    if target is None:
        raise StoreError("Phục hồi trực tiếp chỉ dành cho SQLite; với PostgreSQL hãy dùng pg_restore.")
    src = Path(args.src).expanduser()
    maintenance.check_backup_file(src)
    if target.exists() and not args.yes:
        if not sys.stdin.isatty():
            raise StoreError(f"{target} đã có dữ liệu; thêm --yes để xác nhận ghi đè.")
        answer = input(f"Ghi đè toàn bộ {target} bằng {src}? Gõ “co” để xác nhận: ")
        if answer.strip().lower() not in ("co", "có"):
            print("Đã hủy; dữ liệu không thay đổi.")
            return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    use_audit_files(cfg)
    maintenance.restore(src, target)
    print(f"Đã phục hồi {target} từ {src}.")
    return 0


def user(cfg, args) -> int:
    _open(cfg, args)
    if args.user_command == "add":
        unit_ids = [units.named(value).id for value in args.unit]
        person = users.find_person(args.person) if args.person else None
        users.add_user(SYSTEM, args.login, args.name, args.roles, unit_ids,
                       person.id if person else None)
        print(f"Đã thêm người dùng {args.login}"
              + (f", là {text.visible(person.full_name)}." if person else "."))
    elif args.user_command in ("disable", "enable"):
        active = args.user_command == "enable"
        users.set_active(SYSTEM, args.login, active)
        print(f"Đã {'mở lại' if active else 'khóa'} tài khoản {args.login}.")
    else:
        for account in users.accounts():
            u = account.user
            extra = [", ".join(f"{x.code} {x.name}" for x in account.units),
                     f"là {account.person_name}" if account.person_name else ""]
            state = "" if u.active else " [đã khóa]"
            cells = [u.login, u.display_name, ", ".join(account.role_names), *filter(None, extra)]
            print("\t".join(map(text.visible, cells)) + state)
    return 0


def lookup(cfg, args) -> int:
    """`thidua lookup QUERY [--json]`: whoever matches, with their awards."""
    from cli import lookup as found

    _open(cfg, args, upgrade=False)
    return found.show(cfg, args.query, args.json, args.limit)


def council_members(cfg, args) -> int:
    from models.council import members

    _open(cfg, args)
    if args.council_command == "add":
        member = members.add_member(SYSTEM, args.login, args.role, args.term_from, args.term_to)
        print(f"Đã thêm {members.member_name(member)} ({members.role_name(member)}) vào Hội đồng.")
        return 0
    for member in members.members(dt.date.today()):
        print(f"{member.user.login}\t{members.member_name(member)}\t{members.role_name(member)}")
    return 0


def forced_command(args) -> list[str]:
    """What each officer's key runs: this thidua, with the same configuration and store."""
    command = [shutil.which("thidua") or sys.argv[0]]
    config_file = args.config or os.environ.get("THIDUA_CONFIG")
    if config_file:
        command += ["--config", str(Path(config_file).resolve())]
    if args.db:
        command += ["--db", args.db if "://" in args.db else str(Path(args.db).resolve())]
    return command


def key(cfg, args) -> int:
    path = doctor.authorized_keys_path(cfg, args.authorized_keys)
    if args.key_command == "list":
        for entry in ssh_keys.read(path):
            if entry.key is not None:
                print(f"{entry.login or '(ngoài thidua)'}\t{entry.key.type}\t{entry.key.fingerprint}")
        return 0
    if args.key_command == "sftp":
        return file_door_keys(cfg, args, path)
    _open(cfg, args)
    if args.key_command == "add":
        user_row = users.find(args.login)
        if not user_row.active:
            raise PermissionDenied(f"Tài khoản {args.login} đang bị khóa.")
        try:
            text = (sys.stdin.read() if args.pubkey == "-" else
                    Path(args.pubkey).expanduser().read_text(encoding="utf-8", errors="replace"))
        except OSError as exc:
            raise StoreError(f"Không đọc được {args.pubkey}: {exc.strerror}.") from None
        added = ssh_keys.add(path, args.login, text, forced_command(args))
        print(f"Đã gán khóa {added.fingerprint} cho {args.login} trong {path}.")
        missing = sftp.missing_commands(cfg, args.login)
        if missing:
            print("Để cán bộ gửi và nhận tệp (sftp), chạy bằng root:\n  " + "\n  ".join(missing))
    else:
        count = ssh_keys.remove(path, args.login, args.fingerprint)
        print(f"Đã gỡ {count} khóa của {args.login}.")
    return 0


def file_door_keys(cfg, args, path: Path) -> int:
    """sshd's AuthorizedKeysCommand for an officer's files-only account: their
    keys, while their thidua account is active."""
    _open(cfg, args, upgrade=False)
    if not users.find(args.login).active:
        raise PermissionDenied(f"Tài khoản {args.login} đang bị khóa.")
    for line in sftp.door_lines(ssh_keys.read(path), args.login):
        print(line)
    return 0


def print_document(cfg, args) -> int:
    print(f"Đã gửi {args.file} tới máy in {cfg.print.queue}: "
          + printing.print_document(cfg, Path(args.file).expanduser()))
    return 0


def check_server(cfg, args) -> int:
    try:
        keys_path = doctor.authorized_keys_path(cfg)
    except ThiduaError as exc:
        print(f"✗ {exc}")
        keys_path = None
    _open(cfg, args, upgrade=False)
    findings = doctor.run_checks(cfg, keys_path, forced_command(args),
                                 args.sshd_config or doctor.SSHD_CONFIG)
    findings += [doctor.Finding(False, p, "chạy thidua check") for p in maintenance.problems()]
    for f in findings:
        print(("✓ " if f.ok else "✗ ") + f.what + ("" if f.ok or not f.fix else f"\n    → {f.fix}"))
    bad = sum(not f.ok for f in findings)
    print("Mọi thứ ổn." if not bad else f"{bad} điểm cần sửa.")
    return 1 if bad else 0


def os_login() -> str:
    """The account the process runs as, from its user id: LOGNAME and USER are the
    caller's to set, so `LOGNAME=thidua thidua --as chutich` must not pass for it."""
    return pwd.getpwuid(os.geteuid()).pw_name


def _signed_in(cfg, args) -> Actor:
    if args.demo:
        return users.sign_in(DEMO_OFFICE_LOGIN)
    os_user = os_login()
    if args.login:
        if os_user != cfg.ssh.service_account:
            raise PermissionDenied(
                f"--as chỉ dùng được khi chạy bằng tài khoản dịch vụ “{cfg.ssh.service_account}” "
                f"(qua SSH); bạn đang là “{os_user}”.")
        return users.sign_in(args.login)
    return users.sign_in(os_user)


def open_app(cfg, args) -> int:
    use_audit_files(cfg)
    if args.demo:
        target = args.db or str(data_dir() / "demo.sqlite")
        store.open_store(target, create=True)
        if commune.is_empty():
            from models.demo import build as demo_data
            print("Đang tạo xã mẫu lần đầu...", file=sys.stderr)
            demo_data.build(cfg, persons=DEMO_PERSONS, seed=DEMO_SEED)
    else:
        target = db_target(cfg, args)
        store.open_store(target)
    actor = _signed_in(cfg, args)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise ThiduaError("thidua cần một terminal để mở giao diện "
                          "(qua SSH: ssh -t ...; không chạy được lệnh khác qua khóa này).")
    try:
        keys_path = doctor.authorized_keys_path(cfg)
    except ThiduaError:  # no service account on this machine: no keys file to guard
        keys_path = None
    files = FilePolicy.for_session(cfg, sqlite_path(target), keys_path,
                                   remote=bool(args.login) or over_ssh())
    from tui.app import run_app
    return run_app(cfg, actor, args.screen, files)


def migrate_db(cfg, args) -> int:
    from models.store import move

    use_audit_files(cfg)
    for line in move.move(args.source, args.target):
        print(line)
    print(f"Đã chuyển sang {store.db.shown(args.target)} và kiểm tra: khớp.")
    return 0


COMMANDS = {"init": init, "demo": demo, "migrate": migrate, "check": check, "backup": backup,
            "migrate-db": migrate_db,
            "restore": restore, "user": user, "key": key, "doctor": check_server,
            "print": print_document,
            "council": council_members, "import": spreadsheets.import_file,
            "export": spreadsheets.export_file, "lookup": lookup}
