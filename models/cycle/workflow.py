"""The steps a unit's paper takes with the Office (a report, a registration): who may
take each step, and from which states. Each kind of paper has one `Workflow`; its
`allowed_actions` serves both the screens' keys and the operations' checks.
"""
from __future__ import annotations

from dataclasses import dataclass

from models.errors import RuleError
from models.registry.access import Actor, may_edit_unit, require, require_unit


@dataclass(frozen=True)
class Step:
    """`action` names the step in a refusal ("gửi báo cáo"); `refusal` says why the
    paper's state forbids it ({state} is the state's name). With `roles`, anyone
    holding one of them may take the step; without, whoever acts for the paper's unit."""

    states: frozenset[str]
    action: str
    refusal: str
    roles: tuple[str, ...] = ()

    def may(self, actor: Actor, paper) -> bool:
        return actor.has(*self.roles) if self.roles else may_edit_unit(actor, paper.unit_id)


@dataclass(frozen=True)
class Workflow:
    state_names: dict[str, str]
    steps: dict[str, Step]

    def allowed(self, actor: Actor, paper) -> frozenset[str]:
        return frozenset(name for name, step in self.steps.items()
                         if paper.status in step.states and step.may(actor, paper))

    def refuse(self, actor: Actor, paper, name: str) -> None:
        """Raise why `actor` may not take step `name` now: PermissionDenied when their
        roles or units do not allow it, else RuleError for the paper's state."""
        step = self.steps[name]
        if step.roles:
            require(actor, *step.roles, action=step.action)
        else:
            require_unit(actor, paper.unit_id, action=step.action)
        raise RuleError(step.refusal.format(state=self.state_names[paper.status]))
