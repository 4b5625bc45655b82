"""How far ``jejak demo-data`` has got, on stderr."""

from __future__ import annotations

from typing import TextIO


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, every tenth otherwise."""

    def __init__(self, total: int, stream: TextIO, label: str = "workers") -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.label = label
        self.done = 0
        self.interactive = stream.isatty()
        self.shown = -1

    def advance(self) -> None:
        self.done += 1
        percent = self.done * 100 // self.total
        step = 1 if self.interactive else 10
        if percent // step == self.shown // step and self.done != self.total:
            return
        self.shown = percent
        filled = percent * 30 // 100
        bar = "#" * filled + "." * (30 - filled)
        line = f"[{bar}] {percent:3d}% {self.done}/{self.total} {self.label}"
        self.stream.write(("\r" + line) if self.interactive else line + "\n")
        if self.interactive and self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()
