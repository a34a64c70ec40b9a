"""What every router shares: the runtime, paging, periods of time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, HTTPException, Query, Request, status
from pydantic import AfterValidator, AwareDatetime, BaseModel

from tidal.api._runtime import Runtime
from tidal.api.const import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET

ItemT = TypeVar("ItemT")


def get_runtime(request: Request) -> Runtime:
    """The live runtime the app was created with."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


class Page(BaseModel, Generic[ItemT]):
    """One page of a list: the items, how many there are in all, and where the page starts."""

    items: list[ItemT]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class Paging:
    """`?limit=&offset=` of a list route."""

    limit: int
    offset: int

    def page(self, items: Sequence[ItemT], total: int) -> Page[ItemT]:
        """A page of items already cut to this paging."""
        return Page[ItemT](items=list(items), total=total, limit=self.limit, offset=self.offset)

    def cut(self, items: Sequence[ItemT]) -> Page[ItemT]:
        """A page cut from the whole list (for lists the runtime holds in memory)."""
        return self.page(items[self.offset : self.offset + self.limit], len(items))


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
"""`?offset=`: bounded, so a huge number is 422 rather than an integer the store refuses."""


def paging(limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Paging:
    """The paging of a list route."""
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]


@dataclass(frozen=True, slots=True)
class Period:
    """A span of time [start, end) in epoch seconds."""

    start: float
    end: float


def in_utc(moment: datetime) -> datetime:
    """The moment in UTC; ValueError when UTC has no such moment (before year 1, after 9999).

    `9999-12-31T23:59:59-12:00` is a valid date-time whose UTC is in year 10000: every
    later conversion (timestamps, reports, the store) would overflow, so it is refused
    where it comes in.
    """
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(
            f"{moment.isoformat()} is outside the years 1 to 9999 once converted to UTC"
        ) from None


UtcDatetime = Annotated[AwareDatetime, AfterValidator(in_utc)]
"""A date-time with an offset whose UTC time exists; use it for every body field."""


def bad_query(name: str, message: str) -> HTTPException:
    """422 naming one query parameter (`unprocessable` at `["query", name]`)."""
    return unprocessable(["query", name], message)


def parse_moment(raw: str, name: str, *, end: bool) -> float:
    """Epoch seconds of an ISO date (its start, or with `end` the next day's) or datetime.

    A date-time without an offset is taken as UTC; a bare date is a UTC day. A moment
    UTC cannot hold (the day after 9999-12-31, a year-9999 time west of UTC) is 422.
    """
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return (moment + timedelta(days=1) if end else moment).timestamp()
        parsed = datetime.fromisoformat(raw)
    except OverflowError:
        raise bad_query(name, f"{raw!r}: the day after it is past 9999-12-31") from None
    except ValueError:
        raise bad_query(
            name,
            f"{raw!r} is not an ISO date (2026-11-23) or date-time (2026-11-23T09:00:00+00:00)",
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return in_utc(parsed).timestamp()
    except ValueError as error:
        raise bad_query(name, str(error)) from None


def period(
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
) -> Period:
    """`?from=&to=`: ISO dates or date-times; today (UTC) when neither is given."""
    today = datetime.now(UTC).date().isoformat()
    if start is None and end is None:
        start = end = today
    begin = parse_moment(start, "from", end=False) if start is not None else 0.0
    finish = parse_moment(end, "to", end=True) if end is not None else float("inf")
    return Period(begin, finish)


PeriodDep = Annotated[Period, Depends(period)]


def optional_period(
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
) -> Period | None:
    """`?from=&to=` of a list route: no filter when neither is given."""
    if start is None and end is None:
        return None
    begin = parse_moment(start, "from", end=False) if start is not None else 0.0
    finish = parse_moment(end, "to", end=True) if end is not None else float("inf")
    return Period(begin, finish)


OptionalPeriodDep = Annotated[Period | None, Depends(optional_period)]


def unprocessable(loc: Sequence[str | int], message: str) -> HTTPException:
    """422 naming the field, as pydantic's errors do."""
    return HTTPException(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        detail=[{"loc": list(loc), "msg": message, "type": "value_error"}],
    )
