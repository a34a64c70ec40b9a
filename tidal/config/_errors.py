"""What is wrong with a scenario file, said so that a user can find and fix it."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class ConfigIssue:
    """One problem in a configuration file, with where it is and what would be valid."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.path:
            return f"{where} {self.path}: {self.message}"
        return f"{where}: {self.message}"


class ConfigError(Exception):
    """A configuration file cannot be used; carries every issue found in it, not just the first."""

    def __init__(self, issues: Sequence[ConfigIssue]) -> None:
        self.issues: list[ConfigIssue] = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))

    def __str__(self) -> str:
        return "\n".join(str(issue) for issue in self.issues)


def format_path(loc: Iterable[str | int]) -> str:
    """Render a location as users read it: `queues[0].handle_time.dist`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` is most likely a typo of, if any is close enough."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def show_value(value: object) -> str:
    """A value as the user wrote it in YAML: strings quoted, long ones cut short."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` hint when `word` looks like a typo of one of `choices`."""
    meant = closest(word, choices)
    return f" (did you mean {meant!r}?)" if meant else ""


@dataclass(frozen=True, slots=True)
class Problem:
    """A semantic problem found by a model validator, relative to that model."""

    loc: Loc
    message: str
    input: object = None


def raise_problems(title: str, problems: Sequence[Problem]) -> None:
    """Report several located problems from one validator at once (no-op when there are none)."""
    if problems:
        _raise(title, problems)


def _raise(title: str, problems: Sequence[Problem]) -> NoReturn:
    details = [
        InitErrorDetails(
            type=PydanticCustomError("invalid", "{reason}", {"reason": problem.message}),
            loc=problem.loc,
            input=problem.input,
        )
        for problem in problems
    ]
    raise ValidationError.from_exception_data(title, details)


def read_config_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The text of a configuration file and its name, or a ConfigError naming the file."""
    filename = os.fspath(path)
    try:
        with open(filename, encoding="utf-8") as file:
            return file.read(), filename
    except FileNotFoundError:
        raise ConfigError([ConfigIssue(filename, None, "", "no such file")]) from None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text ({error.reason} at byte {error.start})"
        raise ConfigError([ConfigIssue(filename, None, "", message)]) from None
    except OSError as error:
        message = f"cannot read the file ({error.strerror or error})"
        raise ConfigError([ConfigIssue(filename, None, "", message)]) from None
