"""Check one file against its model, and say each problem in the words of the
person editing the file: the field, what was expected and what was found.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.content.load import Document
from briefgen.content.problems import Problem

M = TypeVar("M", bound=BaseModel)


def validate_document(doc: Document, model: type[M], problems: list[Problem]) -> M | None:
    """Check one document against `model`, adding a located problem per error."""
    if doc.data is None:
        problems.append(doc.problem((), "the file is empty: fill in the fields"))
        return None
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "expected fields (name: value) at the top level"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            where = tuple(detail["loc"])
            problems.append(doc.problem(where, _explain(detail, model)))
        return None


def _explain(detail: Any, model: type[BaseModel]) -> str:
    """A pydantic error, in words for the person editing the file."""
    kind, value, ctx = detail["type"], detail.get("input"), detail.get("ctx") or {}
    loc = detail["loc"]
    if kind == "extra_forbidden":
        allowed = sorted(_fields_at(model, loc[:-1]))
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else "."
        return f"unknown field {loc[-1]!r}{hint} Fields allowed here: {', '.join(allowed)}"
    if kind == "missing":
        if len(loc) >= 3 and loc[-3] == "sources" and loc[-1] == "date":
            return (
                "required field is missing: give the date the source was published "
                "(YYYY-MM-DD), or 'undated' if it has none"
            )
        return "required field is missing"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind == "string_unicode":  # a lone surrogate, which no UTF-8 file can hold
        return (
            "contains half of a surrogate pair (U+D800 to U+DFFF), not a character, which "
            "pages, feeds and terminals cannot hold: delete it"
        )
    if kind == "string_type":
        return f"expected text; got {_describe(value)}"
    if kind == "list_type":
        return f"expected a list (one '- ' line an item); got {_describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected fields (name: value); got {_describe(value)}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, such as 30 or 2.5; got {_describe(value)}"
    if kind == "finite_number":
        return (
            f"expected an ordinary number, such as 30 or 2.5; got {_describe(value)} "
            "(not-a-number and infinity are not numbers a reader can use)"
        )
    if kind == "greater_than_equal":
        return f"at least {ctx.get('ge'):,.0f}; got {_describe(value)}"
    if kind == "less_than_equal":
        return f"at most {ctx.get('le'):,.0f}; got {_describe(value)}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}; got {_describe(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        # The limits bound the work a build does; say both numbers, never the list.
        limit = f"at most {ctx['max_length']:,} items"
        actual = ctx.get("actual_length")
        return f"{limit}; this list has {actual:,}" if actual is not None else limit
    if kind == "string_too_long":
        return f"at most {ctx['max_length']:,} characters; this has {len(value):,}"
    return str(detail["msg"])


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _fields_at(model: type[BaseModel], loc: Sequence[Any]) -> Iterable[str]:
    """The field names of the model found at `loc` inside `model`."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _inner_model(info.annotation) if info else None
    return current.model_fields if current else []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _inner_model(argument)
        if found:
            return found
    return None
