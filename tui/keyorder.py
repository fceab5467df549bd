"""Keys (and pastes) handled one at a time, in the order they were typed.

Textual hands each key to the focused widget's queue and goes on to the next one
at once, while a key's binding runs only after the key has bubbled up to the app.
Over a slow link keys arrive together: in "Ctrl+N L a n" the letters reach the
list's filter before the new form has opened, and in "nguyen Enter Tab" the Tab
can act before the Enter has opened the record. So the app holds each key until
what the previous one set off has run: a callback is queued behind the key on
each widget it passes through, and on wherever messages are still waiting,
until two rounds in a row over every widget of the app and its current screen
(a screen pushed meanwhile included) find nothing queued behind them.
"""
from __future__ import annotations

from collections import deque

from textual import events
from textual.app import App, ScreenStackError
from textual.message_pump import MessagePump
from textual.timer import Timer

Typed = events.Key | events.Paste
MAX_ROUNDS = 16
# A queue that never drains (its widget removed mid-round) must not freeze the
# keyboard: after this many seconds the held keys go on.
PATIENCE = 1.0


def _queued(pump: MessagePump) -> int:
    # Textual has no public "is this queue empty"; the queue is an asyncio.Queue.
    return pump._message_queue.qsize()


class KeyOrder:
    def __init__(self, app: App) -> None:
        self.app = app
        self.held: deque[Typed] = deque()
        self.busy = False
        self.released: Typed | None = None
        self.turn = 0  # which key's rounds are current; stale callbacks compare it
        self.timer: Timer | None = None

    def admit(self, event: Typed) -> bool:
        """Whether the app may handle `event` now; if not, it is held for its turn."""
        if event is self.released:
            self.released = None
            return True
        if self.busy:
            self.held.append(event)
            return False
        self.busy = True
        return True

    def handled(self) -> None:
        """The admitted key has been handed on: wait for what it set off."""
        self.turn += 1
        turn = self.turn
        self.timer = self.app.set_timer(PATIENCE, lambda: self._next(turn))
        self._round(turn, 0, self._focus_chain(), 0)

    def _pumps(self) -> list[MessagePump]:
        try:
            screen = self.app.screen
        except ScreenStackError:  # closing
            return []
        return [self.app, *screen.walk_children(with_self=True)]

    def _focus_chain(self) -> list[MessagePump]:
        try:
            node = self.app.focused or self.app.screen
        except ScreenStackError:
            return []
        chain: list[MessagePump] = []
        while node is not None and node is not self.app:
            chain.append(node)
            node = node.parent
        return [*chain, self.app]

    def _round(self, turn: int, number: int, pumps: list[MessagePump], quiet: int) -> None:
        """Post a callback to each pump; each runs once what was queued before it
        has been handled, and notes whether more arrived behind it meanwhile."""
        remaining = 0
        behind = False

        def reached(pump: MessagePump) -> None:
            nonlocal remaining, behind
            remaining -= 1
            behind = behind or bool(_queued(pump))
            if remaining == 0:
                self._after_round(turn, number, behind, quiet, len(pumps))

        for pump in pumps:
            if pump.call_later(reached, pump):
                remaining += 1
        if remaining == 0:
            self._after_round(turn, number, False, quiet, 0)

    def _after_round(self, turn: int, number: int, behind: bool, quiet: int,
                     size: int) -> None:
        if turn != self.turn:
            return
        everything = self._pumps()
        waiting = [p for p in everything if _queued(p)]
        if number + 1 >= MAX_ROUNDS:
            self._next(turn)
        elif behind or waiting:
            # Follow the work to where it went (a key bubbling up, a message posted).
            self._round(turn, number + 1, list({*waiting, *self._focus_chain()}), 0)
        elif size < len(everything):
            self._round(turn, number + 1, everything, 0)
        elif quiet < 1:
            # One quiet round over every pump may still race a handler that was
            # mid-way when it began; a second one in a row settles it.
            self._round(turn, number + 1, everything, quiet + 1)
        else:
            self._next(turn)

    def _next(self, turn: int) -> None:
        if turn != self.turn or not self.busy:
            return
        self.turn += 1
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        if not self.held:
            self.busy = False
            return
        # Still busy: a key arriving now queues behind the held ones. The copy is
        # made by the app's own pump: a message's sender is the pump that made it,
        # and a key sent by a widget stops bubbling once it reaches that widget.
        self.app.call_later(self._release, self.held.popleft())

    def _release(self, held: Typed) -> None:
        self.released = (events.Paste(held.text) if isinstance(held, events.Paste)
                         else events.Key(held.key, held.character))
        self.app.post_message(self.released)
