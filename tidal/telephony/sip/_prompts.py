"""Prompts as WAV files rtpengine can play: recorded files, hold music and speech.

A prompt named in a flow or a queue is a file `NAME.wav` in the center's prompt folder
when there is one; `hold-music` is made once with sox when the folder has none; any
other text is spoken by espeak-ng into a file named by the text's hash, made once and
kept (the cache survives restarts). rtpengine reads the files itself and transcodes
them to the call's codec, so any rate and format sox or espeak-ng writes will do.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

HOLD_MUSIC: Final = "hold-music"
_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
# A calm loop: a soft C-major chord with a slow tremolo, 8 kHz mono, 12 s on repeat.
_HOLD_MUSIC_SOX: Final = (
    "synth", "12", "sine", "261.63", "sine", "329.63", "sine", "392",
    "remix", "-", "tremolo", "0.25", "60", "gain", "-12",
)  # fmt: skip


class PromptFailed(RuntimeError):
    """A prompt could not be made (espeak-ng or sox missing or failing)."""


async def _run(*argv: str) -> None:
    process = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    _, error = await process.communicate()
    if process.returncode != 0:
        raise PromptFailed(f"{argv[0]} failed: {error.decode(errors='replace').strip()[-300:]}")


class Prompts:
    """Finds or makes the WAV file of a prompt."""

    def __init__(self, folder: Path, cache: Path) -> None:
        self.folder = folder
        self.cache = cache
        self._making: dict[str, asyncio.Future[Path]] = {}

    async def file(self, prompt: str) -> Path:
        """The file to play for `prompt` (made on first use, at most once at a time)."""
        if _NAME.match(prompt):
            recorded = self.folder / f"{prompt}.wav"
            if recorded.is_file():
                return recorded
        if prompt == HOLD_MUSIC:
            target = self.cache / "hold-music.wav"
            return await self._once(target, lambda: self._hold_music(target))
        digest = hashlib.sha256(prompt.encode()).hexdigest()[:32]
        target = self.cache / f"tts-{digest}.wav"
        return await self._once(target, lambda: self._speak(prompt, target))

    async def _once(self, target: Path, make: Callable[[], Awaitable[None]]) -> Path:
        """Make `target` unless it exists; callers asking meanwhile wait for the same one."""
        if target.is_file():
            return target
        key = str(target)
        pending = self._making.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        pending = asyncio.get_running_loop().create_future()
        self._making[key] = pending
        try:
            self.cache.mkdir(parents=True, exist_ok=True, mode=0o700)
            await make()
            pending.set_result(target)
        except Exception as error:
            pending.set_exception(error)
            pending.exception()  # retrieved: a prompt nobody else waited for is not an error
            raise
        finally:
            del self._making[key]
        return target

    async def _speak(self, text: str, target: Path) -> None:
        partial = target.with_suffix(".part.wav")
        await _run("espeak-ng", "-v", "en-us", "-s", "150", "-w", str(partial), text)
        partial.replace(target)  # whole files only: a crash leaves no half prompt

    async def _hold_music(self, target: Path) -> None:
        partial = target.with_suffix(".part.wav")
        await _run("sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(partial), *_HOLD_MUSIC_SOX)
        partial.replace(target)
