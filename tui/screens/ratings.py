"""The rating sheet (journey: the unit officer after the year's review): one unit's members
for one year, one key per rating, the cursor on to the next row at once, like the Gia
đình văn hóa review. The unit's own collective rating is the first row."""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.awards import ratings
from models.awards.tables import RATINGS
from models.errors import ThiduaError
from models.registry import units
from tui.widgets.browse import RecordScreen
from tui.widgets.lazylist import Row

UNIT_ROW = 0  # the collective's row; people's ids start at 1
KEYS = "1 Xuất sắc · 2 Tốt · 3 Hoàn thành · 4 Không hoàn thành · 0 xóa"


def _born(person) -> str:
    return text.format_date(person.birth_date) if person.birth_date else ""


class SheetSource:
    """The unit's row, then its members (paged by the models listing)."""

    columns = (("Họ và tên", 0), ("Ngày sinh", 10), ("Chức vụ", 14), ("Xếp loại", 16))

    def __init__(self, unit_id: int, year: int, members) -> None:
        self.unit_id, self.year, self.members = unit_id, year, members

    def count(self, query: str) -> int:
        return 1 + self.members.count(query)

    def _unit_row(self) -> Row:
        code = ratings.unit_rating(self.unit_id, self.year)
        return Row(UNIT_ROW, (f"Tập thể: {units.get(self.unit_id).name}", "", "",
                              ratings.SHORT.get(code, "")))

    def rows(self, query: str, offset: int, limit: int) -> list[Row]:
        head = [self._unit_row()] if offset == 0 else []
        people = self.members.rows(query, max(0, offset - 1), limit - len(head))
        return head + [Row(p.id, (p.full_name, _born(p), p.position,
                                  ratings.SHORT.get(p.rating, ""))) for p in people]


class RatingsScreen(RecordScreen):
    tables = ("member_rating", "unit_rating", "person", "unit")
    BINDINGS = [
        Binding("1", "rate('excellent')", "Hoàn thành xuất sắc", id="ratings.excellent",
                show=False),
        Binding("2", "rate('good')", "Hoàn thành tốt", id="ratings.good", show=False),
        Binding("3", "rate('completed')", "Hoàn thành", id="ratings.completed", show=False),
        Binding("4", "rate('not_completed')", "Không hoàn thành", id="ratings.not_completed",
                show=False),
        Binding("0,space", "rate('')", "Xóa xếp loại", id="ratings.clear", show=False),
        # Priority: the list's own (horizontal scroll) bindings would hide them from the
        # footer, F1 and the palette, though they do nothing on a list that never scrolls so.
        Binding("left", "year(-1)", "Năm trước", id="ratings.previous_year", priority=True),
        Binding("right", "year(1)", "Năm sau", id="ratings.next_year", priority=True),
    ]

    def __init__(self, unit_id: int, year: int) -> None:
        super().__init__()
        self.unit_id = unit_id
        self.year = year

    def make_source(self):
        return SheetSource(self.unit_id, self.year,
                           ratings.unit_sheet(self.app.actor, self.unit_id, self.year))

    def may_rate(self) -> bool:
        return ratings.can_rate(self.app.actor, self.unit_id)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "rate":
            return self.may_rate()
        return super().check_action(action, parameters)

    def show_heading(self) -> None:
        done = ratings.progress(self.unit_id, self.year)
        self.set_heading(f"Xếp loại năm {self.year} · {done.name}: "
                         f"{done.rated}/{done.members} người đã xếp loại")

    def detail(self, row: Row) -> str:
        code = (ratings.unit_rating(self.unit_id, self.year) if row.id == UNIT_ROW
                else ratings.person_rating(row.id, self.year))
        first = f"{text.visible(row.cells[0])}: {RATINGS[code] if code else 'chưa xếp loại'}"
        keys = KEYS if self.may_rate() else "Bạn chỉ xem, không xếp loại được đơn vị này"
        return f"{first}\n{keys} · ←/→ năm"

    def open_row(self, row: Row) -> None:
        """Enter leaves the row as it is and goes on to the next, as a rating key does."""
        self.list.action_move(1)

    def action_rate(self, code: str) -> None:
        row = self.list.current
        if row is None:
            return
        subject = {"unit_id": self.unit_id} if row.id == UNIT_ROW else {"person_id": row.id}
        try:
            ratings.rate(self.app.actor, self.year, code, **subject)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.refresh_rows()
        self.list.action_move(1)

    def action_year(self, step: int) -> None:
        self.year += step
        self.list.source = self.make_source()
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """The heading's count follows every change, this officer's or another's."""
        super().refresh_rows()
        self.show_heading()
