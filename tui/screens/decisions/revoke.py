"""Withdrawing issued awards: on an amending decision, tick the awards of the amended one
(a correction: they leave the history); or revoke one award by a decision of its own
(Luật 2022, chapter VII: the history keeps it, marked, and its money returns to the
fund), models/awards/revocation.py."""
from __future__ import annotations

from models import fields, text
from models.awards import decisions, history, nominations, revocation
from tui.widgets.browse import TickScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row


class RevokeScreen(TickScreen):
    tables = ("decision_award",)

    def __init__(self, decision_id: int, amended_id: int) -> None:
        super().__init__(set())
        self.decision_id = decision_id
        self.amended_id = amended_id

    def make_source(self):
        return ListSource((("", 3), ("Họ tên / đơn vị", 0), ("Danh hiệu", 26)), self._rows)

    def _rows(self) -> list[Row]:
        titles = self.app.cfg.titles
        return [Row(a.id, (self.mark(a.id), nominations.subject_label(a),
                           history.title_name(titles, a.title_code)))
                for a in decisions.granted(self.amended_id)]

    def heading_text(self) -> str:
        ref = decisions.reference(decisions.get(self.amended_id))
        return f"Bãi bỏ khen thưởng của {ref}: đã chọn {len(self.ticked)} (Esc: không bãi bỏ)"

    def detail(self, row: Row) -> str:
        return "Space: chọn/bỏ · Ctrl+S: bãi bỏ các dòng đã chọn · Esc: bỏ qua"

    def save(self) -> None:
        for award_id in sorted(self.ticked):
            decisions.revoke_award(self.app.actor, self.decision_id, award_id)


def revocation_form(app, award_id: int) -> FormScreen:
    """The revoking decision of one award: the reason, the date, the number (empty: the
    next of the series)."""
    award = revocation.revocable(app.actor, award_id)

    def save(values: dict[str, str]):
        day = fields.required_date(values["decided_on"], "Ngày quyết định")
        return revocation.revoke(app.actor, app.cfg, award_id, day, values["reason"],
                                 values["signer"],
                                 decisions.parse_number(values["number"], day.year))

    heading = (f"Hủy bỏ khen thưởng: {text.visible(nominations.subject_label(award))}, "
               f"{history.title_name(app.cfg.titles, award.title_code)} {award.year}")
    return FormScreen(FormSpec(heading, [
        Field("reason", "Lý do hủy bỏ", required=True,
              check=lambda v: fields.name(v, "Lý do hủy bỏ", max_len=1000)),
        Field("decided_on", "Ngày quyết định", required=True, placeholder="dd/mm/yyyy",
              check=lambda v: fields.required_date(v, "Ngày quyết định")),
        Field("number", "Số (để trống: số tiếp theo)"),
        Field("signer", "Người ký"),
    ], {"decided_on": text.format_date(app.today), "signer": app.cfg.commune.chairman}, save))
