"""The one error the config package raises for a bad configuration."""

from __future__ import annotations

__all__ = ["ConfigError"]


class ConfigError(Exception):
    """A configuration file is unreadable, malformed or holds a wrong value.

    ``str(e)`` is one Vietnamese line naming the file, the key and the problem,
    ready for the command line to print to stderr (no traceback is ever shown).

    Attributes:
        file: path of the file the bad value came from.
        key: dotted key, e.g. ``"voting.title.threshold"`` or
            ``"base_salary[2].amount"`` (entries of arrays count from 1);
            ``""`` when the problem is the file as a whole.
        problem: what is wrong, in Vietnamese.
    """

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = str(file)
        self.key = key
        # One line: a multi-line message would break the CLI's single-line contract.
        self.problem = " ".join(problem.split())
        super().__init__(self.file, self.key, self.problem)

    def __str__(self) -> str:
        where = f'Lỗi cấu hình trong {self.file}'
        if self.key:
            where += f', khóa "{self.key}"'
        return f"{where}: {self.problem}"
