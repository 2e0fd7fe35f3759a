"""What `mkdocs serve --dirty` remembers of the pages it rendered, to skip those that
did not change: a save re-renders the pages that show what was saved, not the site.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from briefgen.site.planned import PlannedPage
from briefgen.site.routes import Routes

if TYPE_CHECKING:
    from briefgen.site.render import RenderedPage


class RenderMemo:
    """Pages rendered by an earlier build, with what they were made from (for `serve`).

    A page's inputs are flattened to atoms: content models, compared by identity
    (the reader hands back the same object for a file that has not changed, and
    the memo holds it, so its identity cannot be reused), and plain values,
    compared by equality. A page whose atoms are all the same is not rendered again.
    """

    def __init__(self) -> None:
        self._pages: dict[str, tuple[tuple[Any, ...], RenderedPage]] = {}

    def get(self, key: str, atoms: tuple[Any, ...]) -> RenderedPage | None:
        kept = self._pages.get(key)
        if kept is None or len(kept[0]) != len(atoms):
            return None
        same = all(
            a is b if isinstance(a, BaseModel) else type(a) is type(b) and a == b
            for a, b in zip(kept[0], atoms, strict=True)
        )
        return kept[1] if same else None

    def put(self, key: str, atoms: tuple[Any, ...], rendered: RenderedPage) -> None:
        self._pages[key] = (atoms, rendered)

    def clear(self) -> None:
        self._pages.clear()


def page_atoms(page: PlannedPage, routes: Routes, permalink: str | None) -> tuple[Any, ...]:
    """Everything a page's HTML is made from, flattened for `RenderMemo`."""
    into: list[Any] = [page.template, routes, permalink]
    _atoms(page, into)
    return tuple(into)


def _atoms(value: Any, into: list[Any]) -> None:
    if isinstance(value, BaseModel):
        into.append(value)
    elif isinstance(value, dict):
        into.append(dict)
        for key, item in value.items():
            into.append(key)
            _atoms(item, into)
    elif isinstance(value, list | tuple):
        into.append(len(value))
        for item in value:
            _atoms(item, into)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        into.append(type(value))
        for item in vars(value).values():
            _atoms(item, into)
    else:
        into.append(value)
