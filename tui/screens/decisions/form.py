"""The form of a decision: a new one, an amending one, or a draft edited; the fields it
shares with a proposal to the province."""
from __future__ import annotations

from models import fields, text
from models.awards import decisions
from tui.widgets.form import Field, FormScreen, FormSpec


def document_fields(day: str, day_label: str) -> list[Field]:
    """The fields every paper of the commune has: its subject, date, signer and note."""
    return [
        Field("title", "Trích yếu", required=True,
              check=lambda v: fields.name(v, "Trích yếu", max_len=400)),
        Field(day, day_label, required=True, placeholder="dd/mm/yyyy",
              check=lambda v: fields.required_date(v, day_label)),
        Field("signer", "Người ký", check=lambda v: fields.optional_text(v, "Người ký")),
        Field("note", "Ghi chú", check=lambda v: fields.optional_text(v, "Ghi chú",
                                                                       max_len=2000)),
    ]


def decision_form(app, decision=None, amends_id: int | None = None) -> FormScreen:
    actor = app.actor

    def save(values: dict[str, str]):
        args = (values["title"], values["decided_on"], values["signer"], values["note"])
        if decision is not None:
            return decisions.update(actor, app.cfg, decision.id, int(values["_version"]),
                                    *args)
        if amends_id is not None:
            return decisions.amend(actor, amends_id, *args)
        return decisions.create(actor, *args)

    if decision is not None:
        values = {"title": decision.title, "decided_on": text.format_date(decision.decided_on),
                  "signer": decision.signer, "note": decision.note,
                  "_version": str(decision.version)}
    else:
        values = {"decided_on": text.format_date(app.today),
                  "signer": app.cfg.commune.chairman, "_version": "0",
                  "title": f"Khen thưởng năm {app.today.year}"}
        if amends_id is not None:
            values["title"] = f"Sửa đổi, bổ sung {decisions.reference(decisions.get(amends_id))}"
    form_fields = document_fields("decided_on", "Ngày quyết định")
    heading = ("Sửa dự thảo quyết định" if decision is not None else
               "Quyết định sửa đổi, bổ sung" if amends_id is not None else "Lập quyết định")
    return FormScreen(FormSpec(heading, form_fields, values, save))
