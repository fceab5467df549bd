"""Insert and versioned update of any table, each logged in its own transaction.

Domain modules validate their fields and then call these; the version check
and the change log are therefore the same for every record.
"""
from __future__ import annotations

import json
import re
from typing import TypeVar

import peewee as pw

from models import text
from models.errors import NotFound, StaleRecord
from models.registry.access import Actor
from models.store import changelog, rowcheck
from models.store.tables import ChangeLog, Versioned, database

M = TypeVar("M", bound=pw.Model)


def table_of(model: type[pw.Model]) -> str:
    return model._meta.table_name


def missing(what: str, row_id: int) -> NotFound:
    return NotFound(f"Không tìm thấy {what} số {row_id} (có thể đã bị xóa).")


def get(model: type[M], row_id: int, what: str) -> M:
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise missing(what, row_id)
    return row


def insert(actor: Actor, model: type[M], **fields) -> M:
    with database.atomic():
        row = model.create(**fields)
        changelog.record(actor.login, table_of(model), row.id, "insert",
                         after=changelog.snapshot(row), digest=rowcheck.of_row(model, row.id))
    return row


# Keys derived from others (search and sort keys) mean nothing to a reader.
_HIDDEN = {"version", "search_key", "sort_key"}
# Vietnamese names of the columns, for messages; a field's verbose_name wins.
_LABELS = {
    "name": "tên", "full_name": "họ và tên", "head_name": "chủ hộ", "kind": "loại",
    "parent": "cấp trên", "head": "người đứng đầu", "active": "còn hoạt động",
    "note": "ghi chú", "birth_date": "ngày sinh", "gender": "giới tính",
    "citizen_id": "số định danh", "unit": "đơn vị", "position": "thứ tự",
    "household": "hộ gia đình", "recruited_on": "ngày tuyển dụng", "village": "thôn",
    "address": "địa chỉ", "display_name": "tên hiển thị", "roles": "vai trò",
    "person": "người", "title": "tiêu đề", "text": "nội dung", "max_points": "điểm tối đa",
    "year": "năm", "theme": "chủ đề", "starts_on": "ngày bắt đầu", "ends_on": "ngày kết thúc",
    "place_name": "địa danh", "province": "tỉnh", "chairman": "chủ tịch",
}


def _label(model: type[pw.Model], name: str) -> str:
    field = model._meta.fields.get(name) or model._meta.fields.get(name.removesuffix("_id"))
    if field is not None and field.verbose_name:
        return field.verbose_name
    key = name.removesuffix("_id")
    if key == "position" and model._meta.table_name == "person":
        return "chức vụ"
    return _LABELS.get(key, name)


def changes_since(model: type[Versioned], row_id: int, version: int) -> dict[str, tuple]:
    """What others changed on the row after `version`: field label -> (old, new)."""
    changes: dict[str, tuple] = {}
    entries = (ChangeLog.select()
               .where((ChangeLog.table_name == table_of(model)) & (ChangeLog.row_id == row_id)
                      & (ChangeLog.action == "update"))
               .order_by(ChangeLog.id))
    for entry in entries:
        before, after = json.loads(entry.before or "{}"), json.loads(entry.after or "{}")
        if after.get("version", 0) <= version:
            continue
        for key, new in after.items():
            if key not in _HIDDEN and before.get(key) != new:
                old = changes.get(_label(model, key), (before.get(key),))[0]
                changes[_label(model, key)] = (old, new)
    return changes


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _shown(value) -> str:
    """A logged value as an officer reads it: dd/mm/yyyy, có/không, (trống)."""
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    match = _ISO_DATE.fullmatch(str(value))
    if match:
        return f"{match[3]}/{match[2]}/{match[1]}"
    return text.visible(str(value))


def _stale(model: type[Versioned], row_id: int, version: int, what: str) -> StaleRecord:
    changes = changes_since(model, row_id, version)
    last = (ChangeLog.select().where((ChangeLog.table_name == table_of(model))
                                     & (ChangeLog.row_id == row_id))
            .order_by(ChangeLog.id.desc()).first())
    who = f" bởi {last.login}" if last else ""
    listed = "; ".join(f"{label}: {_shown(old)} → {_shown(new)}"
                       for label, (old, new) in changes.items())
    return StaleRecord(
        f"{what.capitalize()} đã được sửa{who} sau khi bạn mở"
        + (f" ({listed})" if listed else "") + ". Tải lại rồi sửa tiếp; chưa có gì bị ghi đè.",
        changes)


def update(actor: Actor, model: type[M], row_id: int, version: int, what: str,
           **fields) -> M:
    """Save `fields` over the row as read at `version`, or raise StaleRecord."""
    with database.atomic():
        current = get(model, row_id, what)
        if current.version != version:
            raise _stale(model, row_id, version, what)
        before = changelog.snapshot(current)
        fields["version"] = version + 1
        hit = (model.update(**fields)
               .where((model.id == row_id) & (model.version == version)).execute())
        if hit != 1:  # another server-side writer got in between (PostgreSQL)
            raise _stale(model, row_id, version, what)
        row = get(model, row_id, what)
        changelog.record(actor.login, table_of(model), row_id, "update",
                         before=before, after=changelog.snapshot(row),
                         digest=rowcheck.of_row(model, row_id))
    return row


def delete(actor: Actor, model: type[Versioned], row_id: int, version: int, what: str) -> None:
    """Delete the row as read at `version`, or raise StaleRecord; the log keeps what it held."""
    with database.atomic():
        current = get(model, row_id, what)
        if current.version != version:
            raise _stale(model, row_id, version, what)
        before = changelog.snapshot(current)
        hit = model.delete().where((model.id == row_id) & (model.version == version)).execute()
        if hit != 1:  # another server-side writer got in between (PostgreSQL)
            raise _stale(model, row_id, version, what)
        changelog.record(actor.login, table_of(model), row_id, "delete", before=before,
                         digest=rowcheck.DELETED)
