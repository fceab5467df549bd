"""Numbered schema migrations, applied at start-up and by `thidua migrate`.

A migration that introduces a table creates it from its model class; a later
change to an existing table is a migration of its own that alters it with
`playhouse.migrate`, checking first whether the column exists, because the
table-creating migration of a newer code base already makes it.
"""
from __future__ import annotations

from typing import Callable

import peewee as pw
from playhouse import migrate as schema_change

from models.awards import tables as award_tables
from models.awards.tables import Initiative, InitiativeAuthor, TitleAward
from models.council import tables as council_tables
from models.cycle import tables as cycle_tables
from models.cycle.tables import Campaign, CampaignUnit, ContentArea, Criterion
from models.documents import tables as document_tables
from models.errors import StoreError
from models.registry import codes
from models.registry.tables import Commune, Household, Person, Unit, User, UserUnit
from models.store import db
from models.store.tables import BaseModel, ChangeLog, OnlineSession

# The tables migration 1 created, in its order; later migrations add the rest.
CORE_TABLES = [Commune, Unit, Household, Person, User, UserUnit, Campaign, CampaignUnit,
               ContentArea, Criterion, Initiative, InitiativeAuthor, TitleAward, ChangeLog]


class SchemaVersion(BaseModel):
    version = pw.IntegerField()


def _core_tables(database: pw.Database) -> None:
    database.create_tables(CORE_TABLES)


def _online_sessions(database: pw.Database) -> None:
    database.create_tables([OnlineSession])


def _awards(database: pw.Database) -> None:
    database.create_tables(award_tables.AWARD_TABLES)


def _substring_indexes(database: pw.Database) -> None:
    for model in (Unit, Household, Person):
        db.add_substring_index(database, model._meta.table_name, model.search_key.column_name)


def _add_columns(database: pw.Database, columns: list[tuple[type[pw.Model], str]]) -> None:
    """Add each (model, column) its table lacks: a newer migration that creates the
    table already makes it."""
    migrator = schema_change.SchemaMigrator.from_database(database)
    for model, name in columns:
        table = model._meta.table_name
        if name in {c.name for c in database.get_columns(table)}:
            continue
        field = model._meta.fields[name]
        if field.unique:  # the index comes after the values are filled in
            field = pw.CharField(max_length=field.max_length, null=True)
        schema_change.migrate(migrator.add_column(table, name, field))


def _facts(database: pw.Database) -> None:
    """Codes for units and households (existing rows get "DV001", "HO00001"), the
    columns of initiatives, discipline and past awards, collective ratings."""
    _add_columns(database, [(Unit, "code"), (Household, "code"), (Initiative, "kind"),
                            (Initiative, "recognised_by"), (TitleAward, "level"),
                            (TitleAward, "title_name"), (award_tables.PersonFlag, "form"),
                            (award_tables.PersonFlag, "document")])
    for model in (Unit, Household):
        codes.fill_missing(model)
        table = model._meta.table_name
        if not any(i.name == f"{table}_code" for i in database.get_indexes(table)):
            database.execute_sql(f'CREATE UNIQUE INDEX "{table}_code" ON "{table}" ("code")')
    database.create_tables(award_tables.FACT_TABLES)


def _money(database: pw.Database) -> None:
    """What a decision fixes when it is issued (the fund's balance, why an award is paid
    less than its title's amount), and each year's recurrent spending."""
    _add_columns(database, [(award_tables.Decision, "fund_before"),
                            (award_tables.DecisionAward, "money_note")])
    database.create_tables(award_tables.MONEY_TABLES)


def _province_and_revocation(database: pw.Database) -> None:
    """Proposals to the province and their items; the decision that revoked an award."""
    _add_columns(database, [(TitleAward, "revoked_by")])
    database.create_tables(award_tables.PROPOSAL_TABLES)


def _sealed_ballots(database: pw.Database) -> None:
    """Secret choices sealed to a key outside the database; declared conflicts."""
    _add_columns(database, council_tables.SEALED_COLUMNS)
    database.create_tables([council_tables.Conflict])


# (number, what it does, how): append only; never renumber or edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[pw.Database], None]]] = [
    (1, "bảng lõi: xã, đơn vị, hộ, người, người dùng, phong trào, nội dung, "
        "sáng kiến, lịch sử danh hiệu, nhật ký thay đổi", _core_tables),
    (2, "phiên làm việc đang mở (ai đang trực tuyến)", _online_sessions),
    (3, "đăng ký, báo cáo, chấm điểm, tổng hợp", cycle_tables.create),
    (4, "đề nghị, hồ sơ, công khai, quyết định, quỹ thi đua, ghi nhận", _awards),
    (5, "Hội đồng thi đua: thành viên, phiên họp, điểm danh, phiếu bầu", council_tables.create),
    (6, "chỉ mục tìm theo một phần tên (trên PostgreSQL)", _substring_indexes),
    (7, "mã đơn vị và mã hộ; xếp loại tập thể, sáng kiến, kỷ luật, khen thưởng trước đây",
     _facts),
    (8, "tiền thưởng cố định khi ban hành, số dư quỹ lúc ban hành, chi thường xuyên của năm",
     _money),
    (9, "tờ trình lên tỉnh và quyết định của tỉnh; hủy bỏ khen thưởng đã ban hành",
     _province_and_revocation),
    (10, "thôn bình xét Gia đình văn hóa muộn: Văn phòng chấp nhận hay không, một lần cả thôn",
     lambda database: database.create_tables(award_tables.LATE_REVIEW_TABLES)),
    (11, "phiếu kín niêm phong: khóa công khai, người được bỏ phiếu, mã biên nhận; "
         "xung đột lợi ích khai trên đề nghị", _sealed_ballots),
    (12, "dấu của các dòng đã ghi trong nhật ký thay đổi (kiểm tra sửa ngoài ứng dụng)",
     lambda database: _add_columns(database, [(ChangeLog, "digest")])),
    (13, "văn bản đã ban hành: số và dấu nội dung (đính chính là văn bản mới, số mới)",
     lambda database: database.create_tables(document_tables.TABLES)),
    (14, "danh sách Gia đình văn hóa trước Hội đồng: mỗi thôn một dòng trên phiếu, hộ bị loại",
     lambda database: database.create_tables(council_tables.LIST_TABLES)),
    (15, "ban kiểm phiếu của phiên họp Hội đồng (biên bản kiểm phiếu ghi tên)",
     lambda database: database.create_tables([council_tables.CountingMember])),
]
LATEST = MIGRATIONS[-1][0]


def current_version(database: pw.Database) -> int:
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select(pw.fn.MAX(SchemaVersion.version)).scalar()
    return row or 0


def check_not_newer(database: pw.Database) -> int:
    version = current_version(database)
    if version > LATEST:
        raise StoreError(
            f"Cơ sở dữ liệu ở phiên bản lược đồ {version}, mới hơn bản thidua này "
            f"(phiên bản {LATEST}). Hãy cập nhật thidua; dữ liệu không bị thay đổi.")
    return version


def migrate(database: pw.Database, target: int = LATEST) -> list[int]:
    """Bring the schema up to `target`; returns the numbers applied."""
    version = check_not_newer(database)
    db.use_wal(database)  # only now: a newer file must stay byte-for-byte untouched
    db.mark_as_ours(database)
    applied = []
    for number, _what, step in MIGRATIONS:
        if version < number <= target:
            with database.atomic():
                # Sessions starting together after an upgrade all migrate: the one
                # that takes the write lock first applies the step, the others see
                # it done here (the version is read again under the lock).
                if current_version(database) >= number:
                    continue
                if number == 1:
                    database.create_tables([SchemaVersion])
                step(database)
                SchemaVersion.create(version=number)
            applied.append(number)
    return applied
