"""The review flow of every screen where a paper is submitted, approved, or returned
with a reason (a unit's report, a registration, a nomination).

A screen derives from `ReviewScreen` (a RecordScreen: give `make_source()`,
`show_heading()` and `detail(row)` as usual), is made with the paper's id, and supplies:

- `load`: the model's reader of the paper by id, as `load = staticmethod(reports.get)`;
  `self.record` is the paper as stored now, read through it;
- `allowed_actions`: the model's predicate `(actor, record) -> frozenset[str]`, set as
  `allowed_actions = staticmethod(reports.allowed_actions)`. The operations check the
  same function, so a key is offered exactly when its operation would go ahead;
- `review_steps(record) -> dict[str, ReviewStep]`: for each action name, the operation
  to run and how: at once, after a yes/no question, or after a one-line reason form;
- bindings to `review('<action name>')`, for example
  `Binding("ctrl+y", "review('accept')", "Nhận", id="report.accept")`.

`check_action` offers `review(name)` only when `name` is allowed; the screen's other
actions ask `self.may(name)`. A refused step is told with `refuse`; after a step has
run, the notice `done` is shown and the rows, heading and keys are drawn again.
`reason_form` alone serves screens that ask for a reason outside this flow.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from models.errors import ThiduaError
from tui.widgets.browse import RecordScreen
from tui.widgets.form import Confirm, Field, FormScreen, FormSpec


def reason_form(title: str, label: str, act: Callable[[str], object],
                check: Callable[[str], object] | None = None) -> FormScreen:
    """One required line of reason (checked as typed by `check`, when given), then
    `act(reason)`, which calls models/."""
    return FormScreen(FormSpec(title, [Field("reason", label, required=True, check=check)], {},
                               lambda values: act(values["reason"])))


@dataclass(frozen=True)
class ReviewStep:
    run: Callable[..., object]   # run(record), or run(record, reason) when `reason` is set
    done: str = ""               # the notice once it has run
    confirm: str = ""            # a yes/no question asked first
    reason: str = ""             # the label of the reason asked first
    title: str = ""              # the reason form's title
    check: Callable[[str], object] | None = None  # the reason's own check, as typed


class ReviewScreen(RecordScreen):
    load: Callable[[int], object]
    allowed_actions: Callable[..., frozenset[str]]

    def __init__(self, record_id: int) -> None:
        super().__init__()
        self.record_id = record_id

    @property
    def record(self):
        return self.load(self.record_id)

    def review_steps(self, record) -> dict[str, ReviewStep]:
        raise NotImplementedError

    def may(self, action: str) -> bool:
        return action in self.allowed_actions(self.app.actor, self.record)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "review":
            return self.may(*parameters)
        return super().check_action(action, parameters)

    def action_review(self, name: str) -> None:
        # The paper as the officer saw it when pressing the key: a change made
        # meanwhile elsewhere makes the operation refuse it as stale.
        record = self.record
        step = self.review_steps(record)[name]
        if step.reason:
            self.app.push_screen(
                reason_form(step.title, step.reason, lambda why: step.run(record, why),
                            step.check),
                lambda result: self._reviewed(step, result))
        elif step.confirm:
            self.app.push_screen(Confirm(step.confirm),
                                 lambda yes: self._run(step, record) if yes else None)
        else:
            self._run(step, record)

    def _run(self, step: ReviewStep, record) -> None:
        try:
            result = step.run(record)
        except ThiduaError as exc:
            self.refuse(exc)
            return
        self._reviewed(step, result)

    def _reviewed(self, step: ReviewStep, result) -> None:
        if result is None:  # the reason form was left
            return
        if step.done:
            self.notify(step.done, markup=False)
        self.refresh_rows()
        self.refresh_bindings()

    def refresh_rows(self) -> None:
        super().refresh_rows()
        self.show_heading()
