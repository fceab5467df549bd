"""Whom to nominate, and the two forms that nominate them: a nomination, and an ad hoc
award proposed with the good deed it rewards (journey 7)."""
from __future__ import annotations

from models import fields, text
from models.awards import nominations, recognition
from tui.screens.lookup import LookupRow, LookupSource
from tui.widgets.browse import BrowseScreen
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.lazylist import Row


class PickSubjectScreen(BrowseScreen):
    """Find a person, household or unit (accents optional); Enter chooses it."""

    heading = "Chọn người/hộ/đơn vị"
    tables = ("person", "household", "unit")

    def make_source(self):
        return LookupSource()

    def open_row(self, row: Row) -> None:
        self.dismiss(row)

    def detail(self, row: Row) -> str:
        return "Enter: chọn · Esc: quay lại"

    def action_back(self) -> None:
        self.dismiss(None)


def nomination_form(app, row: LookupRow) -> FormScreen:
    cfg, actor = app.cfg, app.actor

    def save(values: dict[str, str]):
        code = values["title"]
        return nominations.create(
            actor, cfg, subject_kind=nominations.subject_kind_for(cfg, row.kind, row.id, code),
            subject_id=row.id, title_code=code, year=values["year"], summary=values["summary"],
            campaign_id=int(values["campaign"]) if values["campaign"] else None)

    form_fields = [
        Field("title", "Danh hiệu/hình thức", required=True,
              choices=nominations.title_choices(cfg, row.kind)),
        Field("year", "Năm", required=True, check=fields.year),
        Field("campaign", "Phong trào",
              choices=tuple((str(c.id), f"{c.year} · {c.name}")
                            for c in nominations.campaigns_for(app.today.year))),
        Field("summary", "Tóm tắt thành tích",
              check=lambda v: text.clean_text(v, "Tóm tắt thành tích", max_len=4000)),
    ]
    return FormScreen(FormSpec(f"Đề nghị khen thưởng: {text.visible(row.cells[1])}",
                               form_fields, {"year": str(app.today.year)}, save))


def ad_hoc_form(app, row: LookupRow) -> FormScreen:
    """A good deed recorded and an ad hoc award proposed in one form."""
    cfg, actor = app.cfg, app.actor

    def save(values: dict[str, str]):
        subject = {"person": "person_id", "household": "household_id", "unit": "unit_id"}
        rec = recognition.record(actor, values["kind"], app.today, values["summary"],
                                 **{subject[row.kind]: row.id})
        nom, _ = recognition.propose_ad_hoc(actor, cfg, rec.id, app.today, values["title"])
        return nom

    form_fields = [
        Field("kind", "Ghi nhận là", required=True,
              choices=(("good_deed", "Người tốt, việc tốt"), ("model", "Điển hình tiên tiến"))),
        Field("title", "Hình thức khen", required=True,
              choices=nominations.title_choices(cfg, row.kind, ad_hoc=True)),
        Field("summary", "Việc làm, thành tích", required=True,
              check=lambda v: text.clean_text(v, "Việc làm, thành tích", max_len=4000)),
    ]
    values = {"kind": "good_deed", "title": cfg.code_with_role("ad_hoc_form")}
    return FormScreen(FormSpec(f"Khen đột xuất: {text.visible(row.cells[1])}", form_fields,
                               values, save))
