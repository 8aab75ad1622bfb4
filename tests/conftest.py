from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HAIPHONG = EXAMPLES / "haiphong" / "haiphong-2022.yaml"
QUANGNINH = EXAMPLES / "quangninh" / "quangninh-2017.yaml"


@pytest.fixture(params=["auto", "py"])
def engine(request: pytest.FixtureRequest) -> str:
    """Every loading test runs on yaml-rs and on the PyYAML fallback."""
    return request.param


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English output unless they ask for Vietnamese (the default follows the locale)."""
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
