"""The receipt of a secret vote, shown once when it is sent: a short code the
tally minutes list among the ballots counted, so the member can see their
ballot was counted; the code says nothing of the choice, and nothing else
ties it to the member."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static


class ReceiptScreen(ModalScreen[None]):
    BINDINGS = [Binding("enter", "dismiss", "Đóng", id="receipt.close"),
                Binding("escape", "dismiss", "Đóng", show=False, id="receipt.close.escape")]
    DEFAULT_CSS = """
    ReceiptScreen { align: center middle; }
    ReceiptScreen > Static { width: 64; height: auto; padding: 1 2; border: solid $success;
                             background: $panel; }
    App.-ascii ReceiptScreen > Static { border: ascii $success; }
    """

    def __init__(self, ballot_id: int, code: str) -> None:
        super().__init__()
        self.ballot_id, self.code = ballot_id, code

    def compose(self) -> ComposeResult:
        yield Static(Text(
            f"Đã ghi phiếu của bạn (phiếu số {self.ballot_id}).\n\n"
            f"Mã biên nhận: {self.code}\n\n"
            "Mã này để bạn tự kiểm tra: khi kết thúc phiếu, biên bản kiểm phiếu liệt kê mã của "
            "mọi phiếu đã được đếm; thấy mã của mình là phiếu của bạn đã được đếm. Mã không "
            "cho biết bạn chọn gì và không gắn với tên bạn: hãy ghi lại, đừng đưa cho ai.\n\n"
            "Enter: đóng"))
