"""The form of an award made before thidua, for a person, household or unit found in
the look-up (F9): a title of the configuration picked, or another form typed by
its name; the year, the decision and the level that decided."""
from __future__ import annotations

from models import fields, text
from models.awards import nominations, past_awards
from models.awards.tables import AWARD_LEVELS, TitleAward
from tui.widgets.form import Field, FormScreen, FormSpec

SUBJECT_ARGUMENT = {"person": "person_id", "household": "household_id", "unit": "unit_id"}


def _values(award: TitleAward) -> dict[str, str]:
    return {"title": award.title_code, "other": "" if award.title_code else award.title_name,
            "year": str(award.year), "decision_ref": award.decision_ref,
            "decided_on": text.format_date(award.decided_on) if award.decided_on else "",
            "level": award.level, "_version": str(award.version)}


def past_award_form(app, kind: str, subject_id: int, name: str,
                    award: TitleAward | None = None) -> FormScreen:
    """Add (or, given `award`, correct) a past award of the subject `kind` ("person",
    "household" or "unit") named `name`."""
    cfg, actor = app.cfg, app.actor

    def save(values: dict[str, str]):
        data = {"title": values["other"].strip() or values["title"], "year": values["year"],
                "decision_ref": values["decision_ref"], "decided_on": values["decided_on"],
                "level": values["level"]}
        if award is None:
            return past_awards.add(actor, cfg, **{SUBJECT_ARGUMENT[kind]: subject_id}, **data)
        return past_awards.update(actor, cfg, award.id, int(values["_version"]), **data)

    form_fields = [
        Field("title", "Danh hiệu", choices=nominations.title_choices(cfg, kind)),
        Field("other", "Hoặc hình thức khác", placeholder="tên, ví dụ Bằng khen của UBND tỉnh",
              check=lambda v: fields.optional_text(v, "Hình thức khác", max_len=300)),
        Field("year", "Năm", required=True, check=fields.year),
        Field("decision_ref", "Số quyết định",
              check=lambda v: fields.optional_text(v, "Số quyết định", max_len=120)),
        Field("decided_on", "Ngày quyết định", placeholder="dd/mm/yyyy",
              check=lambda v: fields.optional_date(v, "Ngày quyết định")),
        Field("level", "Cấp quyết định", required=True, choices=tuple(AWARD_LEVELS.items())),
    ]
    verb = "Thêm" if award is None else "Sửa"
    reload = None if award is None else (
        lambda: _values(past_awards.editable(actor, award.id)))
    # A new one: last year's, the commune's, as most brought in are.
    values = _values(award) if award is not None else {
        "year": str(app.today.year - 1), "level": "commune", "_version": "0"}
    return FormScreen(FormSpec(f"{verb} khen thưởng trước đây: {text.visible(name)}",
                               form_fields, values, save,
                               reload=reload,
                               watch=None if award is None else ("title_award", award.id)))
