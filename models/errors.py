"""Errors every layer shows to a person: each carries one Vietnamese line."""


class ThiduaError(Exception):
    """Base: `str(error)` is the message shown to the user, as is."""


class StoreError(ThiduaError):
    """The database cannot be opened, read or written as asked."""


class StoreUnavailable(StoreError):
    """The store cannot answer for now (locked by another program, disk full, read-only,
    server unreachable): nothing was written, and the same request may succeed later."""


class PermissionDenied(ThiduaError):
    """The signed-in user's roles do not allow the operation."""


class RuleError(ThiduaError):
    """A business rule refuses the operation."""


class NotFound(ThiduaError):
    """The record asked for does not exist (or no longer does)."""


class StaleRecord(ThiduaError):
    """Someone else saved the record after it was opened here."""

    def __init__(self, message: str, changes: dict | None = None):
        super().__init__(message)
        self.changes = changes or {}


class QuorumNotMet(RuleError):
    """Too few council members are present to open a ballot; the chair may go on
    for a recorded reason, so a screen asks for one."""


class AreasExist(RuleError):
    """The campaign already has content areas: the plan imported again would add
    them twice (and score them twice), so a screen asks whether to replace them."""

    def __init__(self, message: str, count: int):
        super().__init__(message)
        self.count = count
