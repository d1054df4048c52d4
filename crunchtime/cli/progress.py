"""Progress of the long commands, always on standard error: a script reading a command's
standard output (`match --json`, `export KIND -`) reads the same lines with or without it.
On a terminal it is a bar; elsewhere click prints each bar's label once."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

import click


def _stderr():
    return sys.stderr  # read at each call: a test runner swaps it


class ProgressBar:
    """A `progress(done, total)` callback drawing a bar once the total is known."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=_stderr())
            self.bar.__enter__()
        self.bar.update(max(done - self.bar.pos, 0))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class StageBars:
    """A `progress(stage, done, total)` callback: one bar per stage, `labels` by stage."""

    def __init__(self, labels: dict[str, str]):
        self.labels, self.stage, self.bar = labels, None, ProgressBar("")

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.bar.close()
            self.stage, self.bar = stage, ProgressBar(self.labels.get(stage, stage))
        self.bar(done, total)

    def __enter__(self) -> StageBars:
        return self

    def __exit__(self, *exc) -> None:
        self.bar.close()


class Steps:
    """Numbered steps of a command whose work cannot be counted: "[1/2] Label…", then
    "[1/2] done in 3.2 s" (or "failed") on a line of its own, whatever printed meanwhile."""

    def __init__(self, total: int):
        self.total, self.number = total, 0

    @contextmanager
    def step(self, label: str):
        self.number += 1
        mark = f"[{self.number}/{self.total}]"
        click.echo(f"{mark} {label}…", err=True)
        started = time.perf_counter()
        try:
            yield
        except BaseException:
            click.echo(f"{mark} failed", err=True)
            raise
        click.echo(f"{mark} done in {time.perf_counter() - started:.1f} s", err=True)
