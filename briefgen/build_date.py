"""The build's date: briefgen's one notion of "today".

Check, build, banners, feed and sitemap all ask here, so they cannot disagree.
`SOURCE_DATE_EPOCH` (the reproducible-builds convention) fixes it: two builds of
one commit are the same bytes, and tests choose the day they run on.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

VARIABLE = "SOURCE_DATE_EPOCH"


class BuildDateError(ValueError):
    """SOURCE_DATE_EPOCH is set to something that is not a date."""


def build_date(environ: Mapping[str, str] | None = None) -> dt.date:
    """The date of this build: SOURCE_DATE_EPOCH's day when set, else today (UTC)."""
    epoch = (os.environ if environ is None else environ).get(VARIABLE, "").strip()
    if not epoch:
        return dt.datetime.now(dt.UTC).date()
    try:
        if not epoch.isdigit():
            raise ValueError
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise BuildDateError(
            f"{VARIABLE} must be a whole number of seconds since 1970-01-01 UTC, "
            f"such as 1700000000; got {epoch!r}"
        ) from None
