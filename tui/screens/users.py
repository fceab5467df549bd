"""The Office's accounts (Ctrl+U on the home screen): who signs in, with which roles
and units, and which person each account is; add, edit, lock and unlock."""
from __future__ import annotations

from textual.binding import Binding

from models import fields, text
from models.errors import ThiduaError
from models.registry import units, users
from models.registry.access import Actor
from models.registry.tables import ROLES, User
from tui.widgets.browse import BrowseScreen, TickScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec
from tui.widgets.lazylist import ListSource, Row

ROLE_KEYS = list(ROLES)  # a role's row id is its place here
PERSON_HINT = "số CCCD, mã số, hoặc: Họ và tên, dd/mm/yyyy"


class AccountSource:
    """The accounts matching the filter, as `users.accounts` finds them."""

    columns = (("Đăng nhập", 10), ("Tên", 0), ("Vai trò", 16), ("Đơn vị", 8), ("Là", 14),
               ("Khóa", 4))

    def __init__(self) -> None:
        self._found: list[users.Account] = []

    def count(self, query: str) -> int:
        self._found = users.accounts(query)
        return len(self._found)

    def rows(self, query: str, offset: int, limit: int) -> list[Row]:
        return [Row(a.user.id, (a.user.login, a.user.display_name, ", ".join(a.role_names),
                                ", ".join(a.unit_codes), a.person_name,
                                "" if a.user.active else "khóa"))
                for a in self._found[offset:offset + limit]]


def _person_text(person) -> str:
    """"Nguyễn Văn Hùng (01/05/1950, CCCD 001050001234)": whom the account is."""
    about = [text.format_date(person.birth_date) if person.birth_date else "",
             f"CCCD {person.citizen_id}" if person.citizen_id else ""]
    shown = ", ".join(a for a in about if a)
    return person.full_name + (f" ({shown})" if shown else "")


def _person_id(value: str) -> int | None:
    return users.find_person(value).id if value.strip() else None


def _name_field() -> Field:
    return Field("display_name", "Tên hiển thị", required=True,
                 check=lambda v: fields.name(v, "Tên hiển thị"))


def _person_field() -> Field:
    return Field("person", "Là người", check=users.find_person, placeholder=PERSON_HINT)


def add_form(actor: Actor) -> FormScreen:
    """A new account with its first role (and unit); more with Ctrl+T and Ctrl+G."""
    def save(values: dict[str, str]):
        unit_ids = [int(values["unit"])] if values["unit"] else []
        return users.add_user(actor, values["login"], values["display_name"], [values["role"]],
                              unit_ids, _person_id(values["person"]))

    form_fields = [
        Field("login", "Tên đăng nhập", required=True, placeholder="chữ thường không dấu"),
        _name_field(),
        Field("role", "Vai trò", required=True, choices=tuple(ROLES.items())),
        Field("unit", "Đơn vị phụ trách",
              choices=tuple((str(u.id), f"{u.code} {u.name}") for u, _ in units.tree(False))),
        _person_field(),
    ]
    # The least of the roles until the Office picks another.
    return FormScreen(FormSpec("Thêm người dùng", form_fields,
                               {"role": "viewer", "_version": "0"}, save))


def edit_form(actor: Actor, user: User) -> FormScreen:
    def values_of(u: User) -> dict[str, str]:
        return {"display_name": u.display_name, "_version": str(u.version),
                "person": users.person_reference(u.person if u.person_id else None)}

    def save(values: dict[str, str]):
        return users.update_user(actor, user.id, int(values["_version"]),
                                 values["display_name"], _person_id(values["person"]))

    return FormScreen(FormSpec(f"Sửa người dùng: {user.login}", [_name_field(), _person_field()],
                               values_of(user), save, reload=lambda: values_of(users.get(user.id)),
                               watch=("user", user.id)))


class RolesScreen(TickScreen):
    """Tick the account's roles; Ctrl+S saves them."""

    tables = ("user",)

    def __init__(self, user: User) -> None:
        super().__init__({ROLE_KEYS.index(r) for r in user.role_set if r in ROLES})
        self.user = user

    def make_source(self):
        return ListSource((("", 3), ("Vai trò", 0)), lambda: [
            Row(i, (self.mark(i), ROLES[key])) for i, key in enumerate(ROLE_KEYS)])

    def heading_text(self) -> str:
        return f"Vai trò của {self.user.login}: đã chọn {len(self.ticked)}"

    def detail(self, row: Row) -> str:
        return "Space hoặc Enter: chọn/bỏ · Ctrl+S: lưu · Esc: về"

    def save(self) -> None:
        users.set_roles(self.app.actor, self.user.id, self.user.version,
                        [ROLE_KEYS[i] for i in sorted(self.ticked)])


class UserUnitsScreen(TickScreen):
    """Tick the units a unit officer edits; Ctrl+S saves them."""

    tables = ("unit", "user_unit")

    def __init__(self, user: User) -> None:
        super().__init__(set(users.unit_ids_of(user.id)))
        self.user = user

    def make_source(self):
        return ListSource((("", 3), ("Mã", 6), ("Đơn vị", 0)), lambda: [
            Row(u.id, (self.mark(u.id), u.code or "", "  " * depth + u.name))
            for u, depth in units.tree() if u.active or u.id in self.ticked])

    def heading_text(self) -> str:
        return f"Đơn vị {self.user.login} phụ trách: đã chọn {len(self.ticked)}"

    def detail(self, row: Row) -> str:
        return "Space hoặc Enter: chọn/bỏ · Ctrl+A: chọn hết/bỏ hết · Ctrl+S: lưu"

    def save(self) -> None:
        users.set_units(self.app.actor, self.user.id, sorted(self.ticked))


class UsersScreen(BrowseScreen):
    heading = "Người dùng"
    tables = ("user", "user_unit", "person", "unit")
    filter_hint = "tên đăng nhập hay tên, không cần dấu"
    BINDINGS = [
        Binding("ctrl+t", "roles", "Vai trò", id="users.roles"),
        Binding("ctrl+g", "units", "Đơn vị", id="users.units"),
        # Ctrl+D is the filter's delete-right: priority makes it this screen's key.
        Binding("ctrl+d", "toggle_active", "Khóa/mở", id="users.active", priority=True),
    ]

    def make_source(self):
        return AccountSource()

    def can_edit(self) -> bool:
        return users.can_manage(self.app.actor)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("roles", "units", "toggle_active"):
            return self.can_edit()
        return super().check_action(action, parameters)

    def detail(self, row: Row) -> str:
        account = users.account(row.id)
        user = account.user
        lines = [("ĐÃ KHÓA · " if not user.active else "")
                 + "Vai trò: " + ", ".join(account.role_names),
                 "Đơn vị: " + (", ".join(f"{u.code} {u.name}" for u in account.units) or "—")
                 + " · Là: " + (_person_text(user.person) if user.person_id else "chưa gắn")]
        return text.visible("\n".join(lines), multiline=True)

    def on_screen_resume(self) -> None:
        self.stale = True  # a tick list may have saved just now
        super().on_screen_resume()

    def _chosen_user(self) -> User | None:
        row = self.list.current
        if row is None:
            return None
        try:
            return users.get(row.id)
        except ThiduaError as exc:
            self.refuse(exc)
            return None

    def open_row(self, row: Row) -> None:
        user = self._chosen_user()
        if user is not None and self.can_edit():
            self.app.push_screen(edit_form(self.app.actor, user), self.edited)

    def new_row(self) -> None:
        self.app.push_screen(add_form(self.app.actor), self.edited)

    def action_roles(self) -> None:
        user = self._chosen_user()
        if user is not None:
            self.app.push_screen(RolesScreen(user))

    def action_units(self) -> None:
        user = self._chosen_user()
        if user is not None:
            self.app.push_screen(UserUnitsScreen(user))

    def action_toggle_active(self) -> None:
        user = self._chosen_user()
        if user is None:
            return
        question = (f"Khóa tài khoản {user.login}? Phiên đang mở của người này sẽ kết thúc; "
                    "có thể mở lại." if user.active else f"Mở lại tài khoản {user.login}?")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                users.set_active(self.app.actor, user.login, not user.active)
            except ThiduaError as exc:
                self.refuse(exc)
                return
            self.refresh_rows()

        self.app.push_screen(Confirm(question), answered)
