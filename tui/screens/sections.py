"""The sections of the app: which F-key opens each, and who may enter it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from models.registry.access import Actor

EVERYONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Section:
    mode: str
    key: str
    short: str
    title: str
    screen: Callable
    roles: frozenset[str] = EVERYONE  # empty: every signed-in user
    footer: bool = False  # its key is shown in the home screen's footer

    def allowed(self, actor: Actor) -> bool:
        return not self.roles or bool(actor.roles & self.roles)


def _lazy(module: str, name: str, own_unit: bool = False) -> Callable:
    """Screens are imported when first opened, so start-up loads only the home screen.
    `own_unit`: the screen lists units by id, and a unit officer lands on their own."""
    def make():
        import importlib
        screen = getattr(importlib.import_module(f"tui.screens.{module}"), name)()
        if own_unit:
            screen.opens_on_own_unit = True
        return screen
    return make


STAFF = frozenset({"admin", "chairman", "finance", "unit_officer", "council_secretary", "viewer"})
COUNCIL = frozenset({"admin", "chairman", "council_member", "council_secretary", "viewer"})

SECTIONS = [
    Section("home", "", "Trang chủ", "Trang chủ", _lazy("home", "HomeScreen")),
    Section("units", "f2", "Đơn vị", "Đơn vị", _lazy("units", "UnitsScreen", own_unit=True),
            STAFF),
    Section("people", "f3", "Người", "Người và hộ gia đình", _lazy("people", "PeopleScreen"),
            STAFF),
    Section("campaigns", "f4", "Phong trào", "Phong trào và nội dung thi đua",
            _lazy("campaigns", "CampaignsScreen"), STAFF),
    Section("reports", "f5", "Báo cáo", "Đăng ký và báo cáo",
            _lazy("reports.dashboard", "ReportsScreen", own_unit=True), STAFF),
    Section("nominations", "f6", "Đề nghị", "Đề nghị khen thưởng",
            _lazy("nominations.list", "NominationsScreen"), STAFF),
    Section("vote", "f7", "Hội đồng", "Hội đồng và bỏ phiếu",
            _lazy("council.console", "CouncilScreen"), COUNCIL),
    Section("decisions", "f8", "Quyết định", "Quyết định khen thưởng",
            _lazy("decisions.list", "DecisionsScreen"), STAFF),
    Section("lookup", "f9", "Tra cứu", "Tra cứu lịch sử khen thưởng",
            _lazy("lookup", "LookupScreen")),
    Section("audit", "ctrl+l", "Nhật ký", "Nhật ký thay đổi", _lazy("audit", "AuditScreen"),
            frozenset({"admin"})),
    Section("online", "ctrl+o", "Trực tuyến", "Ai đang trực tuyến",
            _lazy("audit", "OnlineScreen"), frozenset({"admin"})),
    Section("users", "ctrl+u", "Người dùng", "Người dùng và vai trò",
            _lazy("users", "UsersScreen"), frozenset({"admin"}), footer=True),
    # No key: reached from the units and people lists, or by name in the command palette.
    Section("discipline", "", "Kỷ luật", "Kỷ luật, điều tra, thanh tra, khiếu nại",
            _lazy("discipline", "DisciplineScreen"), frozenset({"admin"})),
    # No key either: Ctrl+B on the people list, or the command palette.
    Section("initiatives", "", "Sáng kiến", "Sáng kiến, đề tài",
            _lazy("initiatives", "InitiativesScreen"), STAFF),
]


def by_mode(mode: str) -> Section:
    return next(s for s in SECTIONS if s.mode == mode)
