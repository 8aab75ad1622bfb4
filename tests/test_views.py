"""What analysts see: notebook HTML, terminal renderables, tables, charts, the shareable page,
and the JSON Schemas editors use."""

import json
import shutil
import subprocess

import jsonschema
import pytest
import yaml_rs
from rich.console import Console

import orgmodel as om
from orgmodel._cli import main

from .conftest import EXAMPLES, HAIPHONG, QUANGNINH

HP_PLAN = EXAMPLES / "haiphong" / "plan-57-2022.yaml"


@pytest.fixture(scope="module")
def hp():
    org = om.load(HAIPHONG)
    return org, om.check(org), om.simulate(org, om.load_plan(HP_PLAN))


def test_notebook_html(hp):
    org, report, outcome = hp
    html = org._repr_html_()
    assert "Ủy ban nhân dân thành phố Hải Phòng" in html and "1,734" in html
    assert "hp-tttt-qlnn" in report._repr_html_()
    page = outcome._repr_html_()
    assert "214 → 184 (removed 30)" in page and "Violations the plan cures" in page
    assert "merged into hp-tttt-phap-che" in outcome.diff._repr_html_()


def test_national_model_html_is_capped():
    big, _ = om.synth(20_000, seed=3)
    html = big._repr_html_()
    assert len(html) < 60_000  # a summary and the top levels, not 20,000 rows
    assert "units below" in html


def test_terminal_renderables(hp):
    org, report, outcome = hp
    c = Console(record=True, width=120)
    for obj in (org, report, outcome, outcome.diff):
        c.print(obj)
    text = c.export_text()
    assert "5 violations." in text and "removed 30" in text and "Sở Nội vụ" in text


def test_to_frame(hp):
    org, report, outcome = hp
    df = org.to_frame()
    assert len(df) == 214 and set(df["kind"]) >= {"department", "branch", "division"}
    assert df.loc[df["id"] == "hp-noi-vu-tccb", "province_class"].item() == "I"
    assert report.to_frame()["unit"].tolist().count("hp-tttt-qlnn") == 1
    lead = outcome.to_frame()
    assert lead["surplus"].sum() + outcome.ledger.dissolved_leaders == 52
    d = outcome.diff.to_frame()
    assert (d["status"] == "closed").sum() == 30


def test_to_frame_without_pandas_names_the_extra(monkeypatch, hp):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *a, **k):
        if name == "pandas":
            raise ImportError("no pandas")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"orgmodel\[pandas\]"):
        hp[0].to_frame()


def test_chart_marks_merged_removed_and_flagged(hp, tmp_path):
    org, report, outcome = hp
    svg = om.outcome_chart(outcome).svg
    assert svg.startswith("<svg") and ">Before<" in svg and ">After<" in svg
    assert "struck" in svg  # the two dissolved branches
    assert "merged from 2" in svg
    assert 'class="flag"' in svg  # the violations before the plan
    single = om.org_chart(org, violations=report.violations).svg
    assert single.count('class="flag">!') == 5 + 1  # five units, and the legend
    out = tmp_path / "c.svg"
    assert main(["chart", str(HAIPHONG), "--plan", str(HP_PLAN), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<svg")
    assert main(["chart", str(QUANGNINH), "--out", str(out), "--depth", "2"]) == 0
    assert "below" in out.read_text(encoding="utf-8")


def test_schema_validates_the_examples(capsys):
    schemas = {}
    for which in ("org", "plan"):
        assert main(["schema", which]) == 0
        schemas[which] = json.loads(capsys.readouterr().out)
    org_schema, plan_schema = schemas["org"], schemas["plan"]
    for f in sorted(EXAMPLES.glob("*/*.yaml")):
        data = yaml_rs.loads(f.read_text(encoding="utf-8"), parse_datetime=False)
        schema = plan_schema if data["format"] == "orgmodel-plan/1" else org_schema
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"format": "orgmodel/1", "units": [{"id": "a", "kind": "sở", "name": "A"}]}, org_schema
        )


def test_html_report_is_self_contained(tmp_path):
    out = tmp_path / "report.html"
    code = main(["simulate", str(HAIPHONG), str(HP_PLAN), "--format", "html", "--out", str(out)])
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html and "214 → 184 (removed 30)" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "<script" not in html and "<link" not in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# headless, offline: without the networking flags Chromium keeps trying hosts it cannot reach
HEADLESS = [
    CHROMIUM or "chromium",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_html_report_renders_in_headless_chromium(tmp_path):
    out = tmp_path / "report.html"
    main(["simulate", str(HAIPHONG), str(HP_PLAN), "--format", "html", "--out", str(out)])
    r = subprocess.run(
        [
            *HEADLESS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            out.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = r.stdout
    assert "214 → 184 (removed 30)" in dom
    assert "Violations the plan cures" in dom and "hp-tttt-qlnn" in dom
    assert "<svg" in dom
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            *HEADLESS,
            f"--user-data-dir={tmp_path / 'profile2'}",
            "--window-size=1200,900",
            f"--screenshot={shot}",
            out.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert shot.exists() and shot.stat().st_size > 10_000
