"""Records of "người tốt, việc tốt" and "điển hình tiên tiến", newest first."""
from __future__ import annotations

from textual.binding import Binding

from models import text
from models.awards import recognition
from models.awards.tables import RECOGNITION_KINDS
from tui.widgets.browse import ListOnlyScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row


class RecognitionScreen(ListOnlyScreen):
    tables = ("recognition",)
    BINDINGS = [Binding("ctrl+n", "new_row", "Ghi nhận", id="recognition.new")]

    def make_source(self):
        def rows() -> list[Row]:
            return [Row(r.id, (text.format_date(r.happened_on),
                               RECOGNITION_KINDS.get(r.kind, r.kind), r.name,
                               f"đề nghị số {r.nomination_id}" if r.nomination_id else ""))
                    for r in recognition.listing()]
        return ListSource((("Ngày", 10), ("Loại", 20), ("Người, đơn vị", 0), ("Khen", 15)),
                          rows)

    def on_mount(self) -> None:
        self.set_heading("Người tốt, việc tốt và điển hình tiên tiến")

    def can_create(self) -> bool:
        return recognition.can_record(self.app.actor)

    def detail(self, row: Row) -> str:
        return text.visible(recognition.get(row.id).description.replace("\n", " ")[:230])

    def new_row(self) -> None:
        actor, today = self.app.actor, self.app.today

        def save(values):
            return recognition.record(actor, values["kind"], values["day"], values["text"],
                                      name=values["name"])
        self.app.push_screen(FormScreen(FormSpec("Ghi nhận người tốt, việc tốt", [
            Field("kind", "Loại", required=True, choices=tuple(RECOGNITION_KINDS.items())),
            Field("name", "Người, đơn vị", required=True),
            Field("day", "Ngày", required=True, placeholder="dd/mm/yyyy"),
            Field("text", "Việc làm, thành tích", required=True)],
            {"kind": "good_deed", "day": text.format_date(today)}, save)),
            lambda _: self.refresh_rows())
