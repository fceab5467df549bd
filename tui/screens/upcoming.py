"""Sections whose work arrives with later releases: they say so plainly
instead of showing an empty screen."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static


class Upcoming(Screen):
    heading = ""
    what = ""
    BINDINGS = [Binding("escape", "app.switch_mode('home')", "Về trang chủ")]
    DEFAULT_CSS = "Upcoming Static { padding: 1 2; }"

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{self.heading}\n\n{self.what}\n\n"
                          "Mục này chưa có trong phiên bản hiện tại. "
                          "Esc để về trang chủ."))
        yield Footer()


class ReportsScreen(Upcoming):
    heading = "Đăng ký và báo cáo"
    what = "Đăng ký thi đua, báo cáo 6 tháng và tổng kết năm, chấm điểm và xếp hạng đơn vị."


class NominationsScreen(Upcoming):
    heading = "Đề nghị khen thưởng"
    what = "Đề nghị, kiểm tra điều kiện, hồ sơ và công khai danh sách."


class VoteScreen(Upcoming):
    heading = "Hội đồng và bỏ phiếu"
    what = "Phiên họp Hội đồng, điểm danh, bỏ phiếu kín và công khai, biên bản."


class DecisionsScreen(Upcoming):
    heading = "Quyết định khen thưởng"
    what = "Quyết định, tiền thưởng theo mức lương cơ sở và quỹ thi đua - khen thưởng."
