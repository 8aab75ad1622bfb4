"""Vietnamese and English: the official terms for people, the same JSON for machines."""

import json

import orgmodel as om
from orgmodel._cli import main

from .conftest import EXAMPLES, HAIPHONG

HUE = EXAMPLES / "hue" / "hue-2025.yaml"
HUE_PLAN = EXAMPLES / "hue" / "plan-2025.yaml"


def test_simulate_in_vietnamese(capsys):
    assert main(["simulate", str(HUE), str(HUE_PLAN), "--lang", "vi"]) == 1
    out = capsys.readouterr().out
    for term in (
        "đầu mối",
        "biên chế công chức",
        "lãnh đạo dôi dư",
        "Phòng thuộc Ủy ban nhân dân",
        "Vi phạm do phương án phát sinh",
        "Phương án phát sinh 3 vi phạm.",
    ):
        assert term in out, term
    assert "focal points" not in out


def test_check_in_vietnamese_keeps_unit_names_and_citations(capsys):
    assert main(["check", str(HAIPHONG), "--lang", "vi"]) == 1
    out = capsys.readouterr().out
    assert "5 vi phạm." in out
    assert "Phòng Quản lý chuyên ngành (hp-tttt-qlnn) có 5 biên chế công chức" in out
    assert "Decree 107/2020/ND-CP" in out  # citations as written


def test_json_never_changes_with_the_language(capsys):
    outs = []
    for lang in ("en", "vi"):
        assert main(["simulate", str(HUE), str(HUE_PLAN), "--format", "json", "--lang", lang]) == 1
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0] == outs[1]


def test_default_language_follows_the_locale(monkeypatch, capsys):
    monkeypatch.setenv("LC_ALL", "vi_VN.UTF-8")
    assert main(["show", str(HAIPHONG), "--depth", "1"]) == 0
    assert "Tổng hợp" in capsys.readouterr().out
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert main(["show", str(HAIPHONG), "--depth", "1"]) == 0
    assert "Totals" in capsys.readouterr().out


def test_html_and_chart_in_vietnamese(tmp_path):
    out = tmp_path / "r.html"
    main(
        ["simulate", str(HUE), str(HUE_PLAN), "--format", "html", "--out", str(out), "--lang", "vi"]
    )
    html = out.read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and "Sơ đồ tổ chức trước và sau sắp xếp" in html
    assert ">Trước<" in html and ">Sau<" in html


def test_set_language_for_notebooks():
    org = om.load(HAIPHONG)
    om.set_language("vi")
    try:
        assert "biên chế công chức" in org._repr_html_()
    finally:
        om.set_language("en")
    assert "civil servants" in org._repr_html_()


def test_unknown_language_is_a_usage_error():
    try:
        main(["show", str(HAIPHONG), "--lang", "fr"])
    except SystemExit as e:
        assert e.code == 2


def test_outcome_notes_in_vietnamese(capsys):
    qn = EXAMPLES / "quangninh"
    assert (
        main(
            [
                "simulate",
                str(qn / "quangninh-2017.yaml"),
                str(qn / "plan-2018.yaml"),
                "--lang",
                "vi",
            ]
        )
        == 0
    )
    assert "Không có văn bản nào có hiệu lực vào ngày 2018-01-01" in capsys.readouterr().out
    assert main(["simulate", str(HUE), str(HUE_PLAN), "--format", "json", "--lang", "vi"]) == 1
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert notes == [
        "12 leadership posts are held above the legal maximum; Decree "
        "150/2025/ND-CP, Art. 6 gives five years after a reorganization to bring "
        "deputies within the limits."
    ]
