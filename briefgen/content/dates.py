"""The dates content may hold, checked against the build date.

A date is in a window that moves with the build date, never the clock; a review is
done by the build date and is next due within a few years, and a case study past its
review date is reported, as a warning.
"""

from __future__ import annotations

import datetime as dt

from briefgen.content.load import Document
from briefgen.content.models import Briefing, CaseStudy
from briefgen.content.problems import FieldPath, Problem

# Dates a briefing can mean. Past the window they only do harm: a review due in 2100
# pins a case study to the top of the feed, and a date after 2106 breaks the gzip
# timestamp of the sitemap.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_YEARS = 20  # after the build date
REVIEW_YEARS = 5  # from reviewed to review_due, at most


def check_dates(
    doc: Document, model: CaseStudy | Briefing, today: dt.date, problems: list[Problem]
) -> bool:
    """Every date of a case study or briefing (its sources' apart: `check_sources` checks
    those) is in the window, and no review is dated after the build; False if any is not."""
    editors = getattr(model, "editors", None)
    dates: list[tuple[FieldPath, dt.date | None]] = [
        (("as_at",), getattr(model, "as_at", None)),
        (("editors", "compiled"), editors.compiled if editors else None),
        (("reviewed",), model.reviewed),
        (("review_due",), getattr(model, "review_due", None)),
    ]
    sound = True
    for where, day in dates:
        if day is None:
            continue
        if outside := outside_window(day, today):
            message = outside
        elif where == ("reviewed",) and day > today:
            message = (
                f"{day.isoformat()} is after the build date ({today.isoformat()}): "
                "give the date the review was done"
            )
        else:
            continue
        problems.append(doc.problem(where, message))
        sound = False
    return sound


def check_review_dates(
    doc: Document, study: CaseStudy, today: dt.date, problems: list[Problem]
) -> None:
    """A case study's dates are in the window, its next review is due after the last and
    within REVIEW_YEARS of it, and an overdue review is reported."""
    dated = check_dates(doc, study, today, problems)
    if study.review_due <= study.reviewed:
        problems.append(
            doc.problem(("review_due",), f"must be after reviewed ({study.reviewed.isoformat()})")
        )
    elif dated and study.review_due > (latest := _years_after(study.reviewed, REVIEW_YEARS)):
        problems.append(
            doc.problem(
                ("review_due",),
                f"at most {REVIEW_YEARS} years after reviewed ({study.reviewed.isoformat()}), "
                f"so on or before {latest.isoformat()}; got {study.review_due.isoformat()}",
            )
        )
    if study.review_due < today:
        problems.append(
            doc.problem(
                ("review_due",),
                f"case study {study.id!r} was due for review on {study.review_due.isoformat()}: "
                "check it against its sources, then update reviewed and review_due",
                severity="warning",
            )
        )


def outside_window(day: dt.date, today: dt.date) -> str | None:
    """What is wrong with `day`, if it is outside the dates accepted; else None."""
    latest = _years_after(today, LATEST_YEARS)
    if EARLIEST_DATE <= day <= latest:
        return None
    return (
        f"{day.isoformat()} is outside the dates accepted: from "
        f"{EARLIEST_DATE.isoformat()} to {latest.isoformat()} ({LATEST_YEARS} years "
        f"after the build date, {today.isoformat()})"
    )


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)
