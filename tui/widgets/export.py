"""The document of the record on screen, written to a file or printed.

Every screen whose record has a document (a decision, a session, a ballot, a campaign,
a nomination, a report, the synthesis) offers the same key, EXPORT (Ctrl+W, "Xuất văn
bản"), which opens this prompt: a file name in the officer's own folder of the exchange
folder (which they reach with sftp), the extension choosing the format (models/
documents/kinds.py). Where a printer queue is configured, Ctrl+K in the prompt prints
the document instead. Ctrl+W is a priority binding: in a form's input it would
otherwise delete a word.
"""
from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from models.documents import kinds
from models.errors import ThiduaError
from tui.widgets.form import Field, FormScreen, FormSpec

EXPORT = Binding("ctrl+w", "document", "Xuất văn bản", id="document.export", priority=True)


class ExportScreen(FormScreen):
    # A priority binding: the file name's input has its own Ctrl+K (delete to the end).
    BINDINGS = [Binding("ctrl+k", "print_document", "In ra máy in", id="document.print",
                        priority=True)]

    def __init__(self, kind: str, record_id: int, label: str, default: str,
                 records: tuple[str, tuple[tuple[str, str], ...]] | None = None) -> None:
        self.kind = kind
        what = kinds.KINDS[kind].what
        fields = [Field("file", "Tên tệp", required=True,
                        hint="đuôi tệp chọn định dạng: " + ", ".join(kinds.KINDS[kind].formats))]
        if records is not None:   # another record of the kind may be chosen (earlier sessions)
            fields.append(Field("record", records[0], required=True, choices=records[1]))
        super().__init__(FormSpec(f"Xuất {what} {label}".strip(), fields,
                                  {"file": default, "record": str(record_id)}, self._write))

    def _write(self, values) -> Path:
        path = self.app.files.resolve(values["file"])
        return kinds.write(self.app.cfg, self.kind, int(values["record"]), path, self.app.actor)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "print_document":
            return kinds.can_print(self.app.cfg)
        return super().check_action(action, parameters)

    def action_print_document(self) -> None:
        try:
            answer = kinds.print_record(self.app.cfg, self.kind, int(self.values()["record"]),
                                        self.app.actor)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self.notify(f"Đã gửi {kinds.KINDS[self.kind].what} tới máy in "
                    f"“{self.app.cfg.print.queue}”. {answer}".strip(), markup=False)
        self.dismiss(None)


def export_document(screen, kind: str, record_id: int, label: str = "",
                    records: tuple[str, tuple[tuple[str, str], ...]] | None = None) -> None:
    """Open the prompt for the document `kind` of `record_id`; `label` names the record
    in the title and the proposed file name ("3", "05/02/2026"); `records` (a field's
    label and its choices of record ids) lets the officer pick another record."""
    app = screen.app
    name = kinds.file_name(kind, label or str(record_id))
    folder = app.files.officer_folder(app.actor.login)
    default = str(folder / name) if folder is not None else name

    def written(path) -> None:
        if path is not None:
            screen.notify(f"Đã xuất {kinds.KINDS[kind].what} vào tệp {path}", markup=False)
    app.push_screen(ExportScreen(kind, record_id, label, default, records), written)
