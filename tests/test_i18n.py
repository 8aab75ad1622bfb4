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
    assert "Phòng Quản lý chuyên ngành" in out and "hp-tttt-qlnn" in out  # the name, and the id
    # citations as Vietnamese lawyers write them
    assert main(["check", str(HAIPHONG), "--lang", "vi", "--format", "md"]) == 1
    md = capsys.readouterr().out
    assert "Phòng Quản lý chuyên ngành (hp-tttt-qlnn) có 5 biên chế công chức" in md
    assert "Nghị định 107/2020/NĐ-CP, Điều 1 khoản 3, sửa đổi Điều 5 khoản 2 điểm b" in md
    assert "Nghị định 24/2014/NĐ-CP, Điều 6, sửa đổi bởi Nghị định 107/2020/NĐ-CP" in md
    assert "ở tỉnh loại I" in md  # the class the limit depends on, as in English


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
    args = ["simulate", str(qn / "quangninh-2017.yaml"), str(qn / "plan-2018.yaml")]
    assert main([*args, "--as-of", "2013-01-01", "--lang", "vi"]) == 0
    out = capsys.readouterr().out
    assert "Không có văn bản nào có hiệu lực vào ngày 01/01/2013" in out
    assert "bắt đầu từ ngày 20/06/2014" in out
    assert main(["simulate", str(HUE), str(HUE_PLAN), "--format", "json", "--lang", "vi"]) == 1
    notes = json.loads(capsys.readouterr().out)["notes"]
    # JSON stays English whatever the language
    assert notes == [
        "12 leadership posts are held above the legal maximum, outside any transition: "
        "they are violations."
    ]
    assert main(["simulate", str(HUE), str(HUE_PLAN), "--format", "md", "--lang", "vi"]) == 1
    md = capsys.readouterr().out
    assert "12 vị trí lãnh đạo vượt số lượng tối đa, không thuộc thời gian chuyển tiếp" in md


def test_error_messages_in_vietnamese_keep_their_location(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: orgmodel/1\nunits:\n  - id: a\n    kind: division\n    name: A\n"
        "    civil_servant: 3\n",
        encoding="utf-8",
    )
    assert main(["show", str(bad), "--lang", "vi"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"orgmodel: {bad}:6:5: khóa không hợp lệ 'civil_servant'; có phải là 'civil_servants'?"
    )
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "format: orgmodel-plan/1\nsteps:\n  - dissolve: a\n  - rename: a\n    name: B\n",
        encoding="utf-8",
    )
    good = tmp_path / "g.yaml"
    good.write_text(
        "format: orgmodel/1\nunits:\n  - {id: a, kind: division, name: A}\n", encoding="utf-8"
    )
    assert main(["simulate", str(good), str(plan), "--lang", "vi"]) == 2
    err = capsys.readouterr().err
    assert "bước 2 (rename, dòng 4): đơn vị 'a' đã bị loại bỏ ở bước 1 (dissolve, dòng 3)" in err
    assert main(["simulate", str(good), str(plan)]) == 2  # English by default here
    assert "was removed by step 1 (dissolve, line 3)" in capsys.readouterr().err
