"""Turn our exception tree into click errors with the right exit code."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click

from archive.errors import ArchiveLocked, ConfigError, MuniError
from crawler.cli.exit_codes import ExitCode

F = TypeVar("F", bound=Callable[..., Any])


class MuniClickError(click.ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it per instance


@contextmanager
def muni_errors() -> Iterator[None]:
    try:
        yield
    except ArchiveLocked as exc:
        raise MuniClickError(str(exc), ExitCode.LOCKED) from exc
    except ConfigError as exc:
        raise MuniClickError(str(exc), ExitCode.CONFIG) from exc
    except MuniError as exc:
        raise MuniClickError(str(exc), 1) from exc


def handles_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with muni_errors():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
