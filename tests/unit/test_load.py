"""The YAML loader: strings as written, locations kept, hostile YAML refused with file:line."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from briefgen.content.load import load_yaml, parse_yaml
from briefgen.content.strict_yaml import MAX_DEPTH


def messages(text: str) -> list[str]:
    _, problems = parse_yaml(text, "case_studies/x.yaml")
    return [str(p) for p in problems]


def test_scalars_stay_as_written_and_nulls_are_none() -> None:
    doc, problems = parse_yaml(
        "answer: NO\ntime: 1:30\nn: 30\nempty:\nquoted: 'null'\non: yes\n", "x.yaml"
    )
    assert problems == []
    assert doc is not None
    assert doc.data == {
        "answer": "NO",
        "time": "1:30",
        "n": "30",
        "empty": None,
        "quoted": "null",
        "on": "yes",
    }


def test_every_value_keeps_its_line_and_column() -> None:
    doc, _ = parse_yaml("id: x\noutcomes:\n  - metric: cost\n    value: 30\n", "x.yaml")
    assert doc is not None
    assert doc.locate(("outcomes", 0, "value")) == (4, 5)
    assert doc.locate(("outcomes", 0)) == (3, 5)
    # A field that is missing is located at the nearest value that is there.
    assert doc.locate(("outcomes", 0, "source")) == (3, 5)


def test_duplicate_keys_name_both_lines() -> None:
    assert messages("title: a\nsummary: b\ntitle: c\n") == [
        "case_studies/x.yaml:3:1: title: duplicate key 'title': first written on line 1; keep one"
    ]


def test_anchors_aliases_and_tags_are_refused() -> None:
    assert messages("a: &x 1\nb: *x\nc: !!python/object/apply:os.system [ls]\n") == [
        "case_studies/x.yaml:1:4: a: anchors (&x) are not allowed: write each value out",
        "case_studies/x.yaml:2:4: b: aliases (*x) are not allowed: write the value out in full",
        "case_studies/x.yaml:3:4: c: YAML tags (!!python/object/apply:os.system) are not "
        "allowed: write plain values",
    ]


def test_alias_bomb_is_refused_fast_in_bounded_memory() -> None:
    # A few hundred bytes that expand to 10^9 nodes if anything walks the aliases.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb = "\n".join(lines) + "\n"
    assert len(bomb) < 1000
    tracemalloc.start()
    started = time.perf_counter()
    _, problems = parse_yaml(bomb, "bomb.yaml")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert problems[0].line == 1
    assert "anchors (&a0) are not allowed" in problems[0].message
    assert elapsed < 1.0
    assert peak < 10_000_000


def test_deep_nesting_is_refused() -> None:
    deep = "[" * (MAX_DEPTH + 10) + "]" * (MAX_DEPTH + 10)
    assert messages(deep) == [f"case_studies/x.yaml:1:51: nested more than {MAX_DEPTH} levels deep"]


def test_syntax_error_is_located() -> None:
    assert messages("title: [a, b\nsummary: c\n") == [
        "case_studies/x.yaml:2:8: YAML syntax error: while parsing a flow sequence "
        "did not find expected ',' or ']'"
    ]


def test_second_document_is_refused() -> None:
    assert messages("a: 1\n---\nb: 2\n") == [
        "case_studies/x.yaml:2:1: one YAML document per file: remove the second '---'"
    ]


def test_file_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: a\ntitle: Caf\u00e9\n".encode("latin-1"))
    doc, problems = load_yaml(path, "case_studies/latin1.yaml")
    assert doc is None
    assert [str(p) for p in problems] == [
        "case_studies/latin1.yaml:2:11: the file is not UTF-8 text (byte 0xe9): "
        "save it with UTF-8 encoding"
    ]


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("a: " + "x" * 1_100_000 + "\n")
    doc, problems = load_yaml(path, "case_studies/huge.yaml")
    assert doc is None
    assert "the limit is 1,000,000" in str(problems[0])


@pytest.mark.parametrize("text", ["a: \x00\n", "a: \x07\n"])
def test_control_characters_are_located(text: str) -> None:
    assert messages(text)[0].startswith("case_studies/x.yaml:1:4: ")


def test_python_tags_run_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(
        f'id: evil\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n'
        f'summary: !!python/object/new:subprocess.Popen [["touch", "{marker}"]]\n'
    )
    _, problems = load_yaml(path, "case_studies/evil.yaml")
    assert [p.line for p in problems] == [2, 3]
    assert not marker.exists()


def test_unquoted_no_and_times_stay_text_in_string_fields() -> None:
    doc, problems = parse_yaml("region: NO\nspeaker: {name: Off, role: '1:30'}\nx: 1:30\n", "a")
    assert problems == []
    assert doc is not None
    assert doc.data == {"region": "NO", "speaker": {"name": "Off", "role": "1:30"}, "x": "1:30"}
