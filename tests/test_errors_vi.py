"""Error messages are made from data (a code and its params): the Vietnamese says as much as
the English, and every refusal of the hostile corpus reads in Vietnamese."""

from __future__ import annotations

import ast
import pickle
import re
import shlex
import string
from pathlib import Path

import pytest

import orgmodel as om
from orgmodel._cli import main
from orgmodel._errors import Msg, msg
from orgmodel._i18n import ERRORS_VI, message_text

PACKAGE = Path(om.__file__).parent
DATA = Path(__file__).parent / "data"


def _english_templates() -> dict[str, set[str]]:
    """Every ``msg("code", "template", ...)`` in the package: code -> its English templates."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "msg"):
                continue
            code, template = node.args[:2]
            if isinstance(code, ast.Subscript):  # msg(_SEEN[d][0], _SEEN[d][1]): a table of them
                continue
            assert isinstance(code, ast.Constant) and isinstance(template, ast.Constant), (
                f"{path.name}:{node.lineno}: a message's code and template are literals"
            )
            found.setdefault(code.value, set()).add(template.value)
    return found


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def test_every_code_has_one_english_and_one_vietnamese_template_saying_as_much():
    english = _english_templates()
    english["field"] = {"{name!r}"}
    english["field_bare"] = {"{name}"}
    for code, template in __import__("orgmodel._tables", fromlist=["_SEEN"])._SEEN.values():
        english.setdefault(code, set()).add(template)
    assert len(english) > 250
    assert set(english) == set(ERRORS_VI), (
        "codes without Vietnamese: "
        f"{sorted(set(english) - set(ERRORS_VI))}; Vietnamese for no code: "
        f"{sorted(set(ERRORS_VI) - set(english))}"
    )
    for code, templates in english.items():
        assert len(templates) == 1, f"{code}: one code, one English template: {templates}"
        (en,) = templates
        assert _fields(ERRORS_VI[code]) == _fields(en), code
        assert re.match(r"^[a-z][a-z0-9_]*$", code)


def test_a_message_is_its_english_text_with_a_code_and_params():
    m = msg("duplicate_id", "duplicate id {id!r}: also used on line {first}", id="d", first=1734)
    assert m == "duplicate id 'd': also used on line 1734" and isinstance(m, str)
    assert (m.code, m.params) == ("duplicate_id", {"id": "d", "first": 1734})
    assert pickle.loads(pickle.dumps(m)).code == "duplicate_id"
    with pytest.raises(om.LoadError) as info:
        om.loads(
            "format: orgmodel/1\nunits:\n  - {id: d, kind: division, name: A}\n"
            "  - {id: d, kind: division, name: B}\n"
        )
    e = info.value
    assert e.code == "duplicate_id" and e.params == {"id": "d", "first": 3}
    assert (e.line, e.column) == (4, 10)
    again = pickle.loads(pickle.dumps(e))
    assert again.code == "duplicate_id" and str(again) == str(e)
    assert om.LoadError("plain words").code is None and om.LoadError("x").params == {}


def test_figures_and_dates_are_written_as_the_language_writes_them():
    import datetime as dt

    m = msg(
        "no_rulebook",
        "no rulebook covers {day}: orgmodel's rulebooks are {rulebooks:; }. "
        "Give a later --as-of date or name a rulebook with --rulebook.",
        day=dt.date(1990, 1, 31),
        rulebooks=[msg("rb_listed", "{id} ({period})", id="nd-1", period="p")],
    )
    assert "covers 1990-01-31" in m
    assert "ngày 31/01/1990" in message_text(m, "vi")
    big = msg("yaml_alias_bomb", "more than {most:,} nodes", most=1_000_000)
    assert "1,000,000" in big and "1.000.000" in message_text(big, "vi")


def test_a_unit_field_is_named_in_vietnamese(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: orgmodel/1\nunits:\n  - {id: d, kind: division, name: A, deputies: -1}\n",
        encoding="utf-8",
    )
    assert main(["check", str(bad), "--lang", "vi"]) == 2
    err = capsys.readouterr().err
    assert "cấp phó 'deputies' của đơn vị 'd' phải từ 0 trở lên, nhận được -1" in err


# -- the hostile corpus, in both languages ------------------------------------------------------
def _corpus():
    for line in (DATA / "hostile" / "EXPECTED.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, command, code, _ = (p.strip() for p in line.split("|", 3))
            if code == "2":
                yield pytest.param(DATA / "hostile", shlex.split(command.format(f=name)), id=name)
    for line in (DATA / "bad" / "EXPECTED.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name = line.split("|")[0].strip()
            yield pytest.param(DATA / "bad", ["check", name], id=f"bad/{name}")


# what may stay as written in a Vietnamese message: what the user wrote or must write
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\([^()]*\.yaml[^()]*\)|[&*!][\w/:.-]+")
# words that are names, not English: formats, encodings, loanwords
_NAMES = {"yaml", "utf", "orgmodel", "nul", "esc", "yyyy", "alias", "bomb", "byte", "python"}


def _written(m: object) -> str:
    """The texts a message quotes as they are (ids, names, values, keys, a parser's detail):
    its params that are plain text, not phrases of its own."""
    if isinstance(m, Msg):
        return " ".join(_written(v) for v in m.params.values()) + " " + _written(m.context)
    if isinstance(m, list):
        return " ".join(_written(v) for v in m)
    return m if isinstance(m, str) else ""


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", _QUOTED.sub(" ", text))}


def _numbers(text: str) -> list[int]:
    text = re.sub(r"\b(\d{2})/(\d{2})/(\d{4})\b", r"\3-\2-\1", text)  # dd/mm/yyyy
    return sorted(
        int(re.sub(r"[.,]", "", n)) for n in re.findall(r"\d{1,3}(?:[.,]\d{3})+|\d+", text)
    )


@pytest.mark.parametrize(("folder", "args"), list(_corpus()))
def test_each_refusal_reads_in_vietnamese_with_the_same_figures(folder, args, capsys, monkeypatch):
    import orgmodel._cli as cli

    monkeypatch.chdir(folder)
    seen: list[om.OrgmodelError] = []
    error = cli._error
    monkeypatch.setattr(cli, "_error", lambda e: seen.append(e) or error(e))
    assert main([*args, "--lang", "en"]) == 2
    en = capsys.readouterr().err
    assert main([*args, "--lang", "vi"]) == 2
    vi = capsys.readouterr().err
    e = seen[-1]
    assert isinstance(e.message, Msg) and e.code, en  # made from data, not a plain text
    name = args[1]
    # the place is the same, then the message: every figure of the English is in the Vietnamese
    place = re.match(rf"orgmodel: {re.escape(name)}(:\d+)*: ", en)
    assert place and vi.startswith(place.group()), (en, vi)
    assert vi != en
    assert _numbers(vi) == _numbers(en), (en, vi)
    english_left = (_words(vi) & _words(en)) - _NAMES - _words(_written(e.message)) - _words(name)
    assert not english_left, (english_left, en, vi)
