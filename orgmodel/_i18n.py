"""English and Vietnamese for what people read (tables, reports, charts, command messages).

Renderers wrap their words in `_()`; the language is chosen by `using(lang)` (the command line's
`--lang`, defaulting to the locale) or `orgmodel.set_language`. JSON output never changes with
the language. Terms follow the official Vietnamese (../shared/glossary.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ._simulate import FIVE_YEARS, NO_RULEBOOK

LANGS = ("en", "vi")
_LANG: ContextVar[str] = ContextVar("orgmodel_lang", default="en")

LEGEND = "cs = civil servants, ld = leaders (head + deputies)"
FOOTER = (
    "Made with orgmodel. Figures follow the definitions in docs/simulation.md; rules marked "
    "unverified carry a figure not confirmed from the decree's text."
)

VI: dict[str, str] = {
    # models
    "Totals": "Tổng hợp",
    "units (focal points)": "đơn vị (đầu mối)",
    "civil servants": "biên chế công chức",
    "leadership posts": "vị trí lãnh đạo",
    "deputies": "cấp phó",
    "public employees": "viên chức",
    "(unnamed model)": "(mô hình chưa đặt tên)",
    "as of": "tại ngày",
    "subtree": "cả nhánh",
    "units": "đơn vị",
    "head": "cấp trưởng",
    "dep.": "phó",
    "leaders": "lãnh đạo",
    "class": "loại",
    "units below": "đơn vị cấp dưới",
    "cs": "bc",
    # checks
    "Rulebooks": "Văn bản áp dụng",
    "units checked": "đơn vị được kiểm tra",
    "Violations": "Vi phạm",
    "unit": "đơn vị",
    "actual": "thực tế",
    "limit": "giới hạn",
    "what is wrong, and the law": "nội dung vi phạm và căn cứ pháp lý",
    "what is wrong": "nội dung vi phạm",
    "the law": "căn cứ pháp lý",
    "Complies: no violations.": "Đạt: không có vi phạm.",
    "{n} violation.": "{n} vi phạm.",
    "{n} violations.": "{n} vi phạm.",
    "(unverified figure)": "(số liệu chưa kiểm chứng)",
    "Staffing check": "Kiểm tra biên chế",
    "No violations.": "Không có vi phạm.",
    "Rules in force": "Quy định đang có hiệu lực",
    "rulebook": "văn bản",
    "rule": "quy định",
    "applies to": "áp dụng cho",
    "citation": "căn cứ",
    "verified": "đã kiểm chứng",
    "yes": "có",
    "no": "không",
    # simulation
    "Restructuring plan": "Phương án sắp xếp",
    "Ledger": "Kết quả",
    "figure": "chỉ tiêu",
    "value": "giá trị",
    "focal points": "đầu mối",
    "removed": "giảm",
    "released": "cắt giảm",
    "created": "tăng thêm",
    "surplus leadership posts": "lãnh đạo dôi dư",
    "leaders who keep no post": "lãnh đạo không còn chức vụ",
    "posts held above the legal maximum": "vị trí lãnh đạo vượt mức tối đa",
    "of which leaders of dissolved units": "trong đó lãnh đạo của đơn vị giải thể",
    "legal leadership posts left vacant": "vị trí lãnh đạo theo quy định còn trống",
    "violations introduced / cured / remaining": "vi phạm phát sinh / khắc phục / còn lại",
    "Leadership in the units the plan touches": "Lãnh đạo tại các đơn vị được sắp xếp",
    "carried": "hiện có",
    "legal": "theo quy định",
    "held": "bố trí",
    "surplus": "dôi dư",
    "no post": "không chức vụ",
    "above max": "vượt tối đa",
    "vacant": "còn trống",
    "Violations the plan introduces": "Vi phạm do phương án phát sinh",
    "Violations the plan cures": "Vi phạm được phương án khắc phục",
    "Violations that remain": "Vi phạm còn lại",
    "The plan introduces {n} violation(s).": "Phương án phát sinh {n} vi phạm.",
    "The plan introduces no violation.": "Phương án không phát sinh vi phạm.",
    "Before / after": "Trước / sau",
    "new": "mới",
    "changed": "thay đổi",
    "closed": "chấm dứt",
    "unchanged": "giữ nguyên",
    "merged": "hợp nhất",
    "renamed": "đổi tên",
    "moved": "điều chuyển",
    "Changes": "Thay đổi",
    "status": "tình trạng",
    "what changed": "nội dung thay đổi",
    "merged into": "hợp nhất vào",
    "from": "từ",
    "Effective": "Hiệu lực",
    "effective": "hiệu lực",
    "steps": "bước",
    "none in force": "không có văn bản có hiệu lực",
    "and {n} more": "và {n} dòng nữa",
    # charts
    "Before": "Trước",
    "After": "Sau",
    "Organization": "Tổ chức",
    "breaks a rule": "vi phạm quy định",
    LEGEND: "bc = biên chế, ld = lãnh đạo (cấp trưởng + cấp phó)",
    "ld": "ld",
    "merged from {n}": "hợp nhất từ {n}",
    "below": "cấp dưới",
    "Organization chart": "Sơ đồ tổ chức",
    "Organization chart, before and after": "Sơ đồ tổ chức trước và sau sắp xếp",
    FOOTER: (
        "Lập bằng orgmodel. Các chỉ tiêu theo định nghĩa tại docs/simulation.md; quy định ghi "
        '"chưa kiểm chứng" có số liệu chưa được đối chiếu với văn bản nghị định.'
    ),
    NO_RULEBOOK: (
        "Không có văn bản nào có hiệu lực vào ngày {day} (các văn bản của orgmodel bắt đầu từ "
        "25/11/2020): số vị trí lãnh đạo theo quy định lấy theo phương án."
    ),
    FIVE_YEARS: (
        "{n} vị trí lãnh đạo vượt số lượng tối đa; Điều 6 Nghị định 150/2025/NĐ-CP cho phép "
        "trong thời hạn 5 năm kể từ khi sắp xếp phải bảo đảm số lượng cấp phó theo quy định."
    ),
    # rules
    "every class": "mọi loại",
    "divisions": "số phòng",
    "max deputies by {unit}": "số cấp phó tối đa theo {unit}",
    "plus": "cộng thêm",
    "total deputies ≤ {n} × units": "tổng số cấp phó ≤ {n} × số đơn vị",
    "not allowed": "không được tổ chức",
    "at least": "tối thiểu",
    "at most": "tối đa",
    "or": "hoặc",
    "{kinds} under a {parents}": "{kinds} thuộc {parents}",
    # workbooks
    "Summary": "Tổng hợp",
    "Units": "Đơn vị",
    "Units before": "Đơn vị trước sắp xếp",
    "Units after": "Đơn vị sau sắp xếp",
    "Leadership": "Lãnh đạo",
    "model": "mô hình",
    "rulebooks": "văn bản áp dụng",
    "violations": "vi phạm",
    "plan": "phương án",
    # command line
    "units written to": "đơn vị đã ghi vào",
    "plan steps to": "bước của phương án vào",
}

KIND_VI = {
    "peoples_committee": "Ủy ban nhân dân",
    "department": "Sở",
    "office": "Văn phòng",
    "inspectorate": "Thanh tra",
    "division": "Phòng",
    "branch": "Chi cục",
    "board": "Ban",
    "public_service_unit": "Đơn vị sự nghiệp công lập",
    "party_committee": "Cấp ủy Đảng",
    "party_board": "Ban Đảng",
    "other": "Khác",
    "top": "cấp cao nhất",
}
KIND_EN = {
    "peoples_committee": "People's Committee",
    "party_committee": "Party committee",
    "party_board": "Party board",
    "public_service_unit": "public service unit",
}


def default_language() -> str:
    """From the locale: Vietnamese where LC_ALL, LC_MESSAGES or LANG says so, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var)
        if v:
            return "vi" if v.lower().startswith("vi") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Choose the language of everything orgmodel renders for people ("en" or "vi")."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of: {', '.join(LANGS)}")
    _LANG.set(lang)


def language() -> str:
    return _LANG.get()


@contextmanager
def using(lang: str | None) -> Iterator[None]:
    if lang is None:
        yield
        return
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of: {', '.join(LANGS)}")
    token = _LANG.set(lang)
    try:
        yield
    finally:
        _LANG.reset(token)


def _(text: str, **kw: Any) -> str:
    """`text` in the current language, formatted with `kw`."""
    if _LANG.get() == "vi":
        text = VI.get(text, text)
    return text.format(**kw) if kw else text


def kind_label(kind: str) -> str:
    if _LANG.get() == "vi":
        return KIND_VI.get(kind, kind)
    return KIND_EN.get(kind, kind.replace("_", " "))


def pair_label(key: str) -> str:
    """'division under department' in the current language ('Phòng thuộc Sở')."""
    kind, _sep, parent = key.partition(" under ")
    if _LANG.get() == "vi":
        return f"{kind_label(kind)} thuộc {kind_label(parent)}"
    return f"{kind_label(kind)} under {kind_label(parent)}"


def violation_message(v: Any) -> str:
    """A violation's message in the current language (rebuilt from its figures in Vietnamese)."""
    if _LANG.get() != "vi":
        return str(v.message)
    from ._rules import builtin_rulebooks

    label = f"{v.path[-1]} ({v.unit})" if v.path else v.unit
    if v.status == "class_unknown":
        return (
            f"{label}: chưa xác định loại đơn vị hành chính cấp tỉnh nên chưa áp dụng được "
            f"quy định {v.rule}; hãy khai báo `class` cho Ủy ban nhân dân tỉnh"
        )
    kind = next(
        (
            r.kind
            for b in builtin_rulebooks()
            if b.id == v.rulebook
            for r in b.rules
            if r.id == v.rule
        ),
        None,
    )
    if kind == "min_civil_servants":
        return f"{label} có {v.actual} biên chế công chức; tối thiểu phải có {v.limit}"
    if kind == "max_deputies":
        return f"{label} có {v.actual} cấp phó; số cấp phó tối đa là {v.limit}"
    if kind == "average_deputies":
        return f"{label}: tổng số cấp phó là {v.actual}, vượt mức bình quân cho phép {v.limit}"
    if kind == "max_units":
        return f"{label} có {v.actual} đơn vị trực thuộc; tối đa {v.limit}"
    if kind == "not_allowed":
        return f"{label}: không được tổ chức đơn vị này theo quy định"
    return str(v.message)


# -- error messages --------------------------------------------------------------------------
# Errors are raised in English by the lower layers (which know no language); for `--lang vi`
# the command line rewrites the phrases below. A phrase not listed stays in English.
_ERROR_PHRASES_VI: list[tuple[str, str]] = [
    (r"step (\d+) \((\w+), line (\d+)\)", r"bước \1 (\2, dòng \3)"),
    (r"step (\d+) \((\w+)\)", r"bước \1 (\2)"),
    (r"did you mean ('[^']*')\? ", r"có phải là \1? "),
    (r"a tab is used for indentation", "dùng ký tự tab để thụt lề"),
    (r"YAML indents with spaces only", "YAML chỉ thụt lề bằng dấu cách"),
    (r"the plan file is empty", "tệp phương án rỗng"),
    (r"the file is empty", "tệp rỗng"),
    (r"YAML syntax error", "lỗi cú pháp YAML"),
    (r"YAML tag ('[^']*') is not allowed", r"không được dùng thẻ YAML \1"),
    (
        r"orgmodel files use plain values \(no tags, no Python objects\)",
        "tệp orgmodel chỉ dùng giá trị thuần (không thẻ, không đối tượng Python)",
    ),
    (
        r"anchors and aliases expand to more than ([\d,]+) nodes \(an alias bomb\?\)",
        r"neo và bí danh YAML bung ra hơn \1 nút (nghi tấn công 'alias bomb')",
    ),
    (
        r"write the data out instead of using aliases",
        "hãy viết đầy đủ dữ liệu thay vì dùng bí danh",
    ),
    (r"duplicate key ('[^']*') \(first given on line (\d+)\)", r"khóa \1 bị lặp (đã có ở dòng \2)"),
    (r"each key may appear once in a mapping", "mỗi khóa chỉ được xuất hiện một lần"),
    (
        r"duplicate id ('[^']*'): also used on line (\d+)",
        r"mã đơn vị \1 bị trùng: đã dùng ở dòng \2",
    ),
    (r"duplicate id ('[^']*') \(also on row (\d+)\)", r"mã đơn vị \1 bị trùng (đã có ở hàng \2)"),
    (r"ids must be unique in the file", "mã đơn vị phải là duy nhất trong tệp"),
    (r"unknown key ('[^']*') in a (\w+) step", r"khóa không hợp lệ \1 trong bước \2"),
    (r"unknown key ('[^']*')", r"khóa không hợp lệ \1"),
    (r"unknown field ('[^']*')", r"trường không hợp lệ \1"),
    (r"unknown column ('[^']*')", r"cột không hợp lệ \1"),
    (r"unknown step ('[^']*')", r"bước không hợp lệ \1"),
    (r"unknown format ('[^']*')", r"định dạng không hợp lệ \1"),
    (
        r"unknown (kind|level|class) ('[^']*'|\S+) in unit ('[^']*')",
        r"giá trị \1 không hợp lệ \2 (đơn vị \3)",
    ),
    (r"unknown parent ('[^']*') of unit ('[^']*')", r"đơn vị \2 có cấp trên không tồn tại \1"),
    (r"unknown unit ('[^']*')", r"không có đơn vị \1"),
    (r"unknown rulebook ('[^']*')", r"không có văn bản \1"),
    (r"known rulebooks", "các văn bản hiện có"),
    (r"a unit may have", "một đơn vị có thể có"),
    (r"a step starts with one of", "mỗi bước bắt đầu bằng một trong"),
    (r"expected one of", "giá trị hợp lệ"),
    (r"expected a mapping with", "cần một ánh xạ gồm"),
    (r"missing ('[^']*')", r"thiếu \1"),
    (r"unit ('[^']*') is missing its ('[^']*')", r"đơn vị \1 thiếu \2"),
    (r"People's Committee ('[^']*') is missing its 'level'", r"Ủy ban nhân dân \1 thiếu 'level'"),
    (
        r"a unit is missing its 'id' \(a short text unique in the file\)",
        "đơn vị thiếu 'id' (mã ngắn, duy nhất trong tệp)",
    ),
    (
        r"unit ('[^']*') states (\d+) civil servants but holds (\d+) head and (\d+) deputies",
        r"đơn vị \1 khai \2 biên chế nhưng có \3 cấp trưởng và \4 cấp phó",
    ),
    (
        r"civil_servants counts the leaders too, so it must be at least (\d+)",
        r"biên chế tính cả lãnh đạo nên phải có ít nhất \1",
    ),
    (
        r"unit ('[^']*') would hold (\d+) head and (\d+) deputies but only (\d+) civil servants",
        r"đơn vị \1 sẽ có \2 cấp trưởng và \3 cấp phó nhưng chỉ có \4 biên chế",
    ),
    (r"civil_servants counts the leaders too", "biên chế tính cả lãnh đạo"),
    (
        r"('[^']*') of unit ('[^']*') must be 0 or more, got",
        r"\1 của đơn vị \2 phải từ 0 trở lên,"
        r" nhận được",
    ),
    (
        r"('[^']*') of unit ('[^']*') must be a whole number, got",
        r"\1 của đơn vị \2 phải là số nguyên, nhận được",
    ),
    (
        r"'head' of unit ('[^']*') must be 0 or 1 \(is the head post held\?\), got",
        r"'head' của đơn vị \1 phải là 0 hoặc 1 (có cấp trưởng hay không?), nhận được",
    ),
    (r"must be a whole number, 0 or more, got", "phải là số nguyên từ 0 trở lên, nhận được"),
    (r"must be a date written YYYY-MM-DD, got", "phải là ngày dạng YYYY-MM-DD, nhận được"),
    (r"must be a list of units, got", "phải là danh sách đơn vị, nhận được"),
    (r"must be text, got", "phải là văn bản, nhận được"),
    (r"unit ('[^']*') was removed by", r"đơn vị \1 đã bị loại bỏ ở"),
    (r"was removed by", "đã bị loại bỏ ở"),
    (r"merging needs at least two units, got (\d+)", r"hợp nhất cần ít nhất hai đơn vị, có \1"),
    (r"new id ('[^']*') already exists", r"mã mới \1 đã tồn tại"),
    (
        r"choose a new id or one of the merged units' ids",
        "hãy chọn mã mới hoặc mã của một đơn vị được hợp nhất",
    ),
    (
        r"cannot move ('[^']*') under its own descendant ('[^']*')",
        r"không thể điều chuyển \1 về dưới đơn vị cấp dưới của chính nó \2",
    ),
    (
        r"cannot absorb ('[^']*') into its own descendant ('[^']*')",
        r"không thể sáp nhập \1 vào đơn vị cấp dưới của chính nó \2",
    ),
    (
        r"the merged units have different parents",
        "các đơn vị hợp nhất thuộc các cấp trên khác nhau",
    ),
    (r"say which with", "hãy chỉ rõ bằng"),
    (r"no rulebook covers ([\d-]+)", r"không có văn bản nào áp dụng cho ngày \1"),
    (r"orgmodel's rulebooks are", "các văn bản của orgmodel là"),
    (
        r"Give a later --as-of date or name a rulebook with --rulebook\.",
        "Hãy chọn ngày --as-of muộn hơn hoặc chỉ định --rulebook.",
    ),
    (r"no such file", "không có tệp này"),
    (r"byte (0x[0-9a-f]+) is not valid UTF-8", r"byte \1 không phải UTF-8 hợp lệ"),
    (
        r"save the file as UTF-8 \(Vietnamese text must be UTF-8 encoded\)",
        "hãy lưu tệp dạng UTF-8 (văn bản tiếng Việt phải mã hóa UTF-8)",
    ),
    (r"the parents form a cycle", "quan hệ cấp trên tạo thành vòng lặp"),
    (r"\(rows ", "(hàng "),
    (r"('[^']*') of ('[^']*') (phải|must)", r"\1 của \2 \3"),
    (r"'name' and 'units'", "'name' và 'units'"),
    (r"expected ('[^']*') as the first line", r"cần \1 ở dòng đầu tiên"),
    (
        r"this version of orgmodel reads ('[^']*') \(a plan file has format ('[^']*')\)",
        r"phiên bản orgmodel này đọc \1 (tệp phương án có format \2)",
    ),
    (r"(nhận được|got) the text\b", "nhận được văn bản"),
    (r"\bgot the text\b", "nhận được văn bản"),
    (r"\bgot a list\b", "nhận được một danh sách"),
    (r"\bgot a mapping\b", "nhận được một ánh xạ"),
]


def error_text(message: str) -> str:
    """An error message in the current language (the phrases above; the rest as it is)."""
    if _LANG.get() != "vi":
        return message
    import re

    for pattern, repl in _ERROR_PHRASES_VI:
        message = re.sub(pattern, repl, message)
    return message
