"""The first screen: the commune's banner, who is signed in, and the sections."""
from __future__ import annotations

import pyfiglet
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from models import text
from models.registry import commune, units
from models.registry.tables import ROLES
from tui.screens import sections
from tui.screens.help import key_label
from tui.widgets.form import Field, FormScreen, FormSpec
from tui.widgets.screen import BaseScreen


def banner(name: str, width: int = 78) -> str:
    """figlet drops the letters it lacks, i.e. most Vietnamese ones: fold first."""
    plain = text.ascii_fold_for_banner(name).upper()
    for font in ("small", "mini"):
        art = pyfiglet.figlet_format(plain, font=font, width=width).rstrip("\n")
        if max((len(line) for line in art.splitlines()), default=0) <= width and \
                art.count("\n") < 6:
            return art
    return plain


class HomeScreen(BaseScreen):
    BINDINGS = [Binding("ctrl+e", "edit_profile", "Thông tin xã", id="home.profile")]
    DEFAULT_CSS = """
    HomeScreen #banner { color: $accent; height: auto; padding: 0 1; }
    HomeScreen #who { padding: 0 1; height: auto; }
    HomeScreen #menu { padding: 1 1 0 1; height: auto; }
    """

    def compose(self) -> ComposeResult:
        app = self.app
        profile = commune.profile()
        name = profile.name if profile else app.cfg.commune.name
        roles = ", ".join(ROLES[r] for r in sorted(app.actor.roles))
        with Vertical():
            yield Static(Text(banner(name)), id="banner")
            yield Static(Text(f"Xã {text.visible(name)} · Thi đua - Khen thưởng · "
                              f"năm {app.today.year}\n"
                              f"Đăng nhập: {text.visible(app.actor.display_name)} "
                              f"({app.actor.login}) · {roles}" + self._own_units()), id="who")
            yield Static(Text(self._menu()), id="menu")
        yield Footer()

    def _own_units(self) -> str:
        """A unit officer's units, named: F2 and F5 open on them."""
        names = sorted(units.get(uid).name for uid in self.app.actor.unit_ids)
        return f"\nĐơn vị của bạn: {text.visible(', '.join(names))}" if names else ""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "edit_profile":
            # Asked on every footer draw: the role only, no query.
            return commune.can_edit_profile(self.app.actor)
        return super().check_action(action, parameters)

    def action_edit_profile(self) -> None:
        """The commune's name, place name, province and chairman, as the documents print
        them: copied from the configuration at `thidua init`, kept here afterwards."""
        profile = commune.profile()
        if profile is None:  # a store made before thidua init wrote the profile
            self.notify("Chưa có thông tin xã: chạy “thidua init”.", severity="warning",
                        markup=False)
            return

        shown: dict[str, int] = {}  # the version the form shows; a reload moves it on

        def values() -> dict[str, str]:
            p = commune.profile()
            shown["version"] = p.version
            return {"name": p.name, "place_name": p.place_name, "province": p.province,
                    "chairman": p.chairman}

        def save(v: dict[str, str]):
            return commune.update_profile(self.app.actor, shown["version"], v["name"],
                                          v["place_name"], v["province"], v["chairman"])

        spec = FormSpec("Thông tin xã", [
            Field("name", "Tên xã", required=True), Field("place_name", "Địa danh", required=True),
            Field("province", "Tỉnh"), Field("chairman", "Chủ tịch UBND xã")],
            values(), save, reload=values, watch=("commune", profile.id))
        self.app.push_screen(FormScreen(spec), lambda _: self.recompose())

    def _menu(self) -> str:
        lines = []
        for s in sections.SECTIONS:
            if s.key and s.allowed(self.app.actor):
                lines.append(f"{key_label(s.key):>6}  {s.title}")
        lines.append("    F1  Trợ giúp: mọi phím của màn hình đang mở")
        lines.append("Ctrl+P  Tìm lệnh          F10  Thoát")
        return "\n".join(lines)
