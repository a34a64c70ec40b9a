"""A Rich progress bar for `import_registry`, on stderr so `--json` output stays clean."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tidal.dnc._import import ProgressCallback

if TYPE_CHECKING:
    from rich.console import Console


@contextmanager
def progress_bar(
    description: str = "Importing registry", *, console: Console | None = None
) -> Iterator[ProgressCallback]:
    """A `progress(done_bytes, total_bytes)` callback drawing a bar while the block runs."""
    # Imported here: only the CLI draws bars; `import tidal.dnc` stays light.
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console or Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
