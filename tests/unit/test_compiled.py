"""Templates compiled once a process (briefgen/site/compiled.py): shared only by
environments set up alike, and compiled anew when their source changes."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from briefgen.site.compiled import compile_once

TEMPLATE = "{% if true %}\n  <p>{{ word }}</p>\n{% endif %}\n"


def environment(templates: dict[str, str], **settings: bool) -> Environment:
    env = Environment(loader=DictLoader(templates), autoescape=True, **settings)
    compile_once(env)
    return env


def test_environments_set_up_alike_share_what_they_compiled() -> None:
    first = environment({"unique-shared.html": TEMPLATE})
    assert first.get_template("unique-shared.html").render(word="one") == "\n  <p>one</p>\n"
    second = environment({"unique-shared.html": TEMPLATE})
    assert second.bytecode_cache is first.bytecode_cache
    assert any(first.bytecode_cache.compiled)  # type: ignore[union-attr]
    assert second.get_template("unique-shared.html").render(word="two") == "\n  <p>two</p>\n"


def test_environments_that_compile_differently_never_share() -> None:
    plain = environment({"unique-settings.html": TEMPLATE})
    trimmed = environment({"unique-settings.html": TEMPLATE}, trim_blocks=True, lstrip_blocks=True)
    assert trimmed.bytecode_cache is not plain.bytecode_cache
    assert plain.get_template("unique-settings.html").render(word="a") == "\n  <p>a</p>\n"
    assert trimmed.get_template("unique-settings.html").render(word="a") == "  <p>a</p>\n"
    escaping = environment({"unique-settings.html": TEMPLATE})
    escaping.autoescape = False
    compile_once(escaping)
    assert escaping.bytecode_cache is not plain.bytecode_cache


def test_an_edited_template_is_compiled_anew() -> None:
    before = environment({"unique-edited.html": "<p>{{ word }}</p>"})
    assert before.get_template("unique-edited.html").render(word="x") == "<p>x</p>"
    after = environment({"unique-edited.html": "<h2>{{ word }}</h2>"})
    assert after.get_template("unique-edited.html").render(word="x") == "<h2>x</h2>"
