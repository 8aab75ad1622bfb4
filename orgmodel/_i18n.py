"""English and Vietnamese for what people read (tables, reports, charts, command messages).

Renderers wrap their words in `_()`; the language is chosen by `using(lang)` (the command line's
`--lang`, defaulting to the locale) or `orgmodel.set_language`. JSON output never changes with
the language. Terms follow the official Vietnamese (../shared/glossary.md).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ._errors import Msg, MsgFormatter

LANGS = ("en", "vi")
_LANG: ContextVar[str] = ContextVar("orgmodel_lang", default="en")

# notes of a simulation (templates; figures and citations come from the rulebooks' data)
NO_RULEBOOK = (
    "No rulebook is in force on {day} (orgmodel's rulebooks begin on {start}): legal "
    "leadership posts follow the plan."
)
IN_TRANSITION = (
    "{n} leadership posts are held above the legal maximum in units reorganized on {reorganized}; "
    "{citation} gives {years} years after a reorganization to bring deputies within the limits: "
    "lawful until {until}."
)
ABOVE_MAXIMUM = (
    "{n} leadership posts are held above the legal maximum, outside any transition: "
    "they are violations."
)

LEGEND = "cs = civil servants, ld = leaders (head + deputies)"
FOOTER = (
    "Made with orgmodel. Figures follow the definitions in docs/simulation.md; rules marked "
    "unverified carry a figure not confirmed from the decree's text."
)

VI: dict[str, str] = {
    # suggest (issue 13)
    "{plan}: {steps} steps, for the rules in force on {date} ({rulebooks})": (
        "{plan}: {steps} bước, theo các quy định có hiệu lực ngày {date} ({rulebooks})"
    ),
    "Findings against the law: {before} before; the plan cures {cured} and introduces "
    "{introduced}; {remaining} remain": (
        "Vi phạm: {before} trước phương án; phương án khắc phục {cured}, phát sinh "
        "{introduced}; còn {remaining}"
    ),
    "  … {n} more steps (each with its reason in the plan's notes)": (
        "  … còn {n} bước nữa (lý do của từng bước ghi trong 'note' của phương án)"
    ),
    "(deputies {n})": "(cấp phó {n})",
    "{n} findings after the plan are lawful within a transition, until {until} at the latest": (
        "{n} trường hợp sau phương án còn vượt mức nhưng hợp pháp trong thời gian chuyển tiếp, "
        "chậm nhất đến {until}"
    ),
    "Left, with why no plan step cures it:": (
        "Còn lại, và lý do không bước nào của phương án khắc phục được:"
    ),
    "Merge candidates (units of one parent whose functions overlap; no rule asks it):": (
        "Đơn vị nên cân nhắc hợp nhất (cùng đơn vị cấp trên, chức năng trùng lặp; không quy "
        "định nào bắt buộc):"
    ),
    "{a} + {b} under {parent}: {shared} in common ({share}%)": (
        "{a} + {b} thuộc {parent}: chung {shared} ({share}%)"
    ),
    # vietnam (issue 12)
    "1 province": "1 đơn vị cấp tỉnh",
    "{n} provinces": "{n} đơn vị cấp tỉnh",
    "1 district": "1 đơn vị cấp huyện",
    "{n} districts": "{n} đơn vị cấp huyện",
    "1 commune": "1 đơn vị cấp xã",
    "{n} communes": "{n} đơn vị cấp xã",
    "{n} People's Committees on {date}: {counts}": "{n} Ủy ban nhân dân ngày {date}: {counts}",
    "province classes: {law} fixed by law, {given} given, {missing} not stated": (
        "phân loại tỉnh: {law} do luật định, {given} do người dùng nhập, {missing} chưa có"
    ),
    " (give them with --classes FILE)": " (nhập bằng --classes TỆP)",
    "{n} departments named ({cite}); their civil servants and deputies are not stated: fill them "
    "in before a check": (
        "{n} cơ quan chuyên môn đã có tên ({cite}); biên chế và số cấp phó chưa có: hãy điền "
        "trước khi kiểm tra"
    ),
    "{steps} plan steps, effective {date}": "{steps} bước, hiệu lực từ {date}",
    "The two models are the same, unit for unit.": "Hai mô hình giống nhau đến từng đơn vị.",
    "not in the bundled data: from {date}, {change} ({basis}; unverified)": (
        "chưa có trong dữ liệu kèm theo: từ {date}, {change} ({basis}; chưa kiểm chứng)"
    ),
    "vietnam: cannot write {out}: the reform plan is written as .yaml": (
        "vietnam: không ghi được {out}: phương án sắp xếp được ghi dưới dạng .yaml"
    ),
    "vietnam: cannot write {out}: the model is written as .yaml (an org file), .xlsx or .csv (a "
    "table to fill in)": (
        "vietnam: không ghi được {out}: mô hình được ghi dưới dạng .yaml (tệp tổ chức), .xlsx "
        "hoặc .csv (bảng để điền)"
    ),
    "vietnam: --reform-2025 writes the national plan; {options} cannot go with it": (
        "vietnam: --reform-2025 ghi phương án toàn quốc; không dùng kèm {options}"
    ),
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
        "ngày {start}): số vị trí lãnh đạo theo quy định lấy theo phương án."
    ),
    IN_TRANSITION: (
        "{n} vị trí lãnh đạo vượt số lượng tối đa tại các đơn vị sắp xếp ngày {reorganized}; "
        "{citation} cho phép trong thời hạn {years} năm kể từ khi sắp xếp phải bảo đảm số lượng "
        "cấp phó theo quy định: hợp pháp đến ngày {until}."
    ),
    ABOVE_MAXIMUM: (
        "{n} vị trí lãnh đạo vượt số lượng tối đa, không thuộc thời gian chuyển tiếp nào: "
        "đây là vi phạm."
    ),
    # findings and rules
    "within the transition until {day}": "trong thời gian chuyển tiếp đến ngày {day}",
    "within a transition": "trong thời gian chuyển tiếp",
    "violation": "vi phạm",
    "class unknown": "chưa xác định loại",
    "no verified rule": "chưa có quy định đã kiểm chứng",
    "passes": "đạt",
    "what was decided, and the law": "kết quả đánh giá và căn cứ pháp lý",
    "No rule in force applies to this unit.": (
        "Không có quy định nào đang có hiệu lực áp dụng cho đơn vị này."
    ),
    "deputy posts above a limit, lawful in a transition": (
        "số cấp phó vượt giới hạn trong thời gian chuyển tiếp"
    ),
    "{n} finding(s) over a limit lie within a transition.": (
        "{n} trường hợp vượt giới hạn đang trong thời gian chuyển tiếp."
    ),
    "until": "đến ngày",
    "replaces": "thay thế",
    "plus per unit and per province merged beyond the first": (
        "cộng thêm cho mỗi đơn vị với mỗi tỉnh hợp nhất từ tỉnh thứ hai"
    ),
    "average per unit at most": "bình quân mỗi đơn vị tối đa",
    "deputies ≤ the parent's deputies": "số cấp phó ≤ số cấp phó của đơn vị cấp trên trực tiếp",
    "deputies ≤ those of a sibling with internal units": (
        "số cấp phó ≤ số cấp phó của đơn vị cùng cấp có đơn vị cấu thành"
    ),
    "figure not known": "chưa xác định được số liệu",
    "every class": "mọi loại",
    "special": "đặc biệt",
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
    # workbook (issue 11): tables in and out, the template, import notes
    "Figure": "Chỉ tiêu",
    "Value": "Giá trị",
    "Change": "Chênh lệch",
    "Columns": "Cột",
    "column": "cột",
    "column ({lang})": "cột ({lang})",
    "meaning": "ý nghĩa",
    "allowed values": "giá trị được chọn",
    "unit name": "tên đơn vị",
    "plan effect": "tác động của phương án",
    "introduced": "phát sinh",
    "cured": "được khắc phục",
    "remaining": "còn lại",
    "merged from": "hợp nhất từ",
    "civil servants released": "biên chế cắt giảm",
    "civil servants created": "biên chế tăng thêm",
    "violations introduced": "vi phạm phát sinh",
    "violations cured": "vi phạm được khắc phục",
    "violations remaining": "vi phạm còn lại",
    "leaders carried": "lãnh đạo hiện có",
    "legal posts": "số vị trí theo quy định",
    "posts held": "số vị trí bố trí",
    "above the legal maximum": "vượt mức tối đa",
    "leaders without a post": "lãnh đạo không còn chức vụ",
    "legal posts vacant": "vị trí theo quy định còn trống",
    "transition until": "chuyển tiếp đến ngày",
    "basis": "căn cứ xác định",
    "Provincial People's Committee (an example: write over it)": (
        "Ủy ban nhân dân tỉnh (dòng ví dụ: hãy ghi đè)"
    ),
    "read the sheet {sheet!r}; {n} sheets hold units (--sheet NAME reads another)": (
        "đã đọc trang {sheet!r}; có {n} trang chứa danh sách đơn vị (--sheet TÊN để đọc trang khác)"
    ),
    "columns not read (not orgmodel's): {columns}": (
        "các cột không được đọc (không thuộc orgmodel): {columns}"
    ),
    "the table holds no name for the model: named {name!r} after the file "
    "(--name NAME to choose)": (
        "bảng không ghi tên mô hình: đặt tên {name!r} theo tên tệp (--name TÊN để chọn tên khác)"
    ),
    "the table holds no date for the model (as_of): it is judged by the rules in force on the "
    "day it is checked (--as-of DATE to give one)": (
        "bảng không ghi ngày của mô hình (as_of): mô hình sẽ được đánh giá theo quy định có hiệu "
        "lực vào ngày kiểm tra (--as-of NGÀY để chỉ định)"
    ),
    "a CSV table holds the units only: the model's name and date ({as_of}) are not in it "
    "(import --name NAME --as-of DATE gives them back)": (
        "tệp CSV chỉ chứa danh sách đơn vị: không có tên và ngày của mô hình ({as_of}) "
        "(import --name TÊN --as-of NGÀY để ghi lại)"
    ),
    "A short code for the unit, unique in the table (letters, digits, '-'); required.": (
        "Mã ngắn của đơn vị, không trùng trong bảng (chữ, số, '-'); bắt buộc."
    ),
    "The id of the unit it belongs to; empty for the top unit.": (
        "Mã của đơn vị cấp trên trực tiếp; để trống với đơn vị cao nhất."
    ),
    "What the unit is; required. Choose from the list.": (
        "Loại đơn vị; bắt buộc. Chọn trong danh sách."
    ),
    "The unit's official name; required.": "Tên chính thức của đơn vị; bắt buộc.",
    "For a People's Committee: province, district or commune (required there).": (
        "Với Ủy ban nhân dân: cấp tỉnh, cấp huyện hoặc cấp xã (bắt buộc)."
    ),
    "The province class (special, I, II, III) on the provincial People's Committee; the units "
    "under it inherit it.": (
        "Phân loại đơn vị hành chính cấp tỉnh (đặc biệt, I, II, III), ghi ở Ủy ban nhân dân "
        "tỉnh; các đơn vị trực thuộc kế thừa."
    ),
    "Civil-servant posts assigned to the unit itself, leaders included (not those of its "
    "sub-units). Empty: not stated.": (
        "Biên chế công chức giao cho chính đơn vị, kể cả lãnh đạo (không gồm đơn vị cấp "
        "dưới). Để trống: chưa khai."
    ),
    "Deputy heads the unit has. Empty: none.": "Số cấp phó của đơn vị. Để trống: không có.",
    "1 if the head post is held (the default), 0 if it is vacant.": (
        "1 nếu có cấp trưởng (mặc định), 0 nếu khuyết."
    ),
    "Public employees of a public service unit. Empty: none.": (
        "Số viên chức của đơn vị sự nghiệp công lập. Để trống: không có."
    ),
    "The unit's functions, one per line of the cell (Alt+Enter).": (
        "Chức năng của đơn vị, mỗi chức năng một dòng trong ô (Alt+Enter)."
    ),
    "The name in English (optional).": "Tên tiếng Anh (không bắt buộc).",
    "Anything worth recording (optional).": "Ghi chú (không bắt buộc).",
    "For a provincial People's Committee formed by merging provinces: how many (empty: 1).": (
        "Với Ủy ban nhân dân tỉnh hình thành do hợp nhất: số tỉnh được hợp nhất (để trống: 1)."
    ),
    "The date (YYYY-MM-DD) the reorganization that gave the unit its present shape took "
    "effect; it starts the transition periods the decrees allow.": (
        "Ngày (YYYY-MM-DD) việc sắp xếp tạo nên đơn vị như hiện nay có hiệu lực; là mốc tính "
        "thời gian chuyển tiếp theo nghị định."
    ),
    # command line
    "units written to": "đơn vị đã ghi vào",
    "{n} units read": "đã đọc {n} đơn vị",
    "plan steps to": "bước của phương án vào",
    # terminal (issue 11)
    "given with --as-of": "theo --as-of",
    "the model's date": "ngày của mô hình",
    "the plan's effective date": "ngày hiệu lực của phương án",
    "today: neither file gives a date": "hôm nay: cả hai tệp đều không ghi ngày",
    "Judged as of {day} ({why})": "Đánh giá tại ngày {day} ({why})",
    "{n} units checked": "{n} đơn vị được kiểm tra",
    "Rulebooks given": "Văn bản được chỉ định",
    "In force on that day": "Văn bản có hiệu lực vào ngày đó",
    "none": "không có",
    "warning: the plan takes effect on {plan}, before the model's date {model}; "
    "check that the plan is meant for this model": "cảnh báo: phương án có hiệu lực ngày "
    "{plan}, trước ngày của mô hình ({model}); hãy kiểm tra phương án có đúng là dành cho mô "
    "hình này không",
    "wrote {file} ({size})": "đã ghi {file} ({size})",
    "in a transition": "trong thời gian chuyển tiếp",
    "total": "tổng số",
    "kind of unit": "loại đơn vị",
    "Findings": "Kết quả kiểm tra",
    "{title}, by rule": "{title}, theo quy định",
    "{title}, by kind of unit": "{title}, theo loại đơn vị",
    "… {n} more; --all to show all (or --limit N)": "… còn {n} dòng nữa; dùng --all để xem "
    "tất cả (hoặc --limit N)",
    "({n} units: collapsed below depth {depth}; --depth N to show more)": "({n} đơn vị: thu "
    "gọn dưới cấp {depth}; dùng --depth N để xem thêm)",
    "Loading {file}": "Đang đọc {file}",
    "Checking": "Đang kiểm tra",
    "Simulating": "Đang mô phỏng",
    "Checking before and after": "Đang kiểm tra trước và sau sắp xếp",
    "{n} units": "{n} đơn vị",
    "{n} units, {steps} plan steps": "{n} đơn vị, {steps} bước của phương án",
    # Vietnamese, completely (issue 11): tables, ledger, diffs, legends, the rules reference
    "merged or absorbed": "hợp nhất, sáp nhập",
    "merged into {unit}": "hợp nhất vào {unit}",
    "absorbed into {unit}": "sáp nhập vào {unit}",
    "merged or absorbed into {unit}": "hợp nhất hoặc sáp nhập vào {unit}",
    "dissolved": "giải thể",
    "absorbed": "sáp nhập",
    "dissolved, its civil servants transferred to {unit}": ("giải thể, biên chế chuyển về {unit}"),
    "took in {units}": "tiếp nhận {units}",
    "of which lawful in a transition": "trong đó hợp pháp trong thời gian chuyển tiếp",
    "deputy posts above a limit, lawful in a transition, in the whole model": (
        "số cấp phó vượt giới hạn nhưng hợp pháp trong thời gian chuyển tiếp, toàn bộ mô hình"
    ),
    "id": "mã",
    "name": "tên",
    "level": "cấp",
    "kind": "loại hình",
    "text": "nội dung",
    "what the law says": "nội dung quy định",
    "in force": "hiệu lực",
    "from {day}": "từ ngày {day}",
    "{start} to {end}": "từ ngày {start} đến ngày {end}",
    "amends": "sửa đổi",
    "instrument": "văn bản",
    "rules": "quy định",
    "(English text: no Vietnamese text in the rulebook)": (
        "(bản tiếng Anh: văn bản quy định chưa có bản tiếng Việt)"
    ),
    "Note": "Ghi chú",
    "Transition": "Chuyển tiếp",
    "{years} years": "{years} năm",
    "Applies to": "Áp dụng cho",
    "Replaces {rule}.": "Thay thế {rule}.",
    "unverified": "chưa kiểm chứng",
    "counting each {counts} of each {per}": "tính mỗi {counts} của mỗi {per}",
    "counting each {counts}": "tính mỗi {counts}",
    # legends under the tables
    "carried: leaders (head and deputies) carried into the unit from the units merged or "
    "absorbed into it, and its own": (
        "hiện có: số lãnh đạo (cấp trưởng và cấp phó) của đơn vị và của các đơn vị hợp nhất, "
        "sáp nhập vào đơn vị"
    ),
    "legal: leadership posts the law allows (1 head + the maximum of deputies)": (
        "theo quy định: số vị trí lãnh đạo pháp luật cho phép (1 cấp trưởng + số cấp phó tối đa)"
    ),
    "held: head and deputies the unit holds after the plan": (
        "bố trí: số cấp trưởng và cấp phó của đơn vị sau sắp xếp"
    ),
    "surplus: carried leaders beyond the legal posts": (
        "dôi dư: số lãnh đạo hiện có vượt số vị trí theo quy định"
    ),
    "no post: leaders who keep no leadership post": (
        "không chức vụ: số lãnh đạo không còn giữ chức vụ lãnh đạo"
    ),
    "above max: posts held above the legal maximum": (
        "vượt tối đa: số vị trí lãnh đạo bố trí vượt mức tối đa theo quy định"
    ),
    "vacant: legal posts no carried leader fills": (
        "còn trống: số vị trí theo quy định chưa có lãnh đạo đảm nhiệm"
    ),
    "actual: the unit's figure the rule measures; limit: the figure the rule allows": (
        "thực tế: số liệu của đơn vị mà quy định xét; giới hạn: số liệu quy định cho phép"
    ),
    "cs: civil servants (the unit's own); leaders: head + deputies (dep.); subtree: the unit and "
    "every unit below it": (
        "bc: biên chế công chức (của riêng đơn vị); lãnh đạo: cấp trưởng + cấp phó (phó); "
        "cả nhánh: đơn vị và mọi đơn vị cấp dưới"
    ),
    # review fixes (issue 11)
    "merged or absorbed into": "hợp nhất hoặc sáp nhập vào",
    "merged or absorbed from": "hợp nhất hoặc sáp nhập từ",
    # report page and charts (issue 11)
    "+N below: units under this one, not drawn": "+N cấp dưới: số đơn vị trực thuộc không vẽ",
    "of which": "trong đó",
    "lawful in a transition": "hợp pháp trong thời gian chuyển tiếp",
    "leaders of dissolved units": "lãnh đạo của đơn vị giải thể",
    "organizational units (đầu mối)": "đơn vị tổ chức",
    "civil-servant posts the plan drops": "biên chế công chức phương án cắt giảm",
    "posts it adds": "biên chế phương án tăng thêm",
    "leaders carried into a unit beyond its legal posts (1 head + the maximum deputies), plus "
    "the leaders of dissolved units": (
        "số lãnh đạo chuyển về một đơn vị vượt số vị trí theo quy định (1 cấp trưởng + số cấp phó "
        "tối đa), cộng lãnh đạo của các đơn vị giải thể"
    ),
    "leaders (heads and deputies) carried into the unit: its own and those of the units merged "
    "into it": (
        "số lãnh đạo (cấp trưởng và cấp phó) chuyển về đơn vị: của chính đơn vị và của các đơn "
        "vị hợp nhất, sáp nhập vào"
    ),
    "legal posts: 1 head + the maximum deputies the rule allows": (
        "số vị trí theo quy định: 1 cấp trưởng + số cấp phó tối đa"
    ),
    "head and deputies it holds after the plan": "cấp trưởng và cấp phó bố trí sau sắp xếp",
    "leaders carried beyond the legal posts": "số lãnh đạo vượt số vị trí theo quy định",
    "leaders who keep no leadership post": "số lãnh đạo không còn giữ chức vụ lãnh đạo",
    "legal posts no carried leader fills": "số vị trí theo quy định chưa có người đảm nhiệm",
    "the unit's figure the rule measures": "số liệu của đơn vị mà quy định xét đến",
    "the figure the rule allows or requires": "mức quy định cho phép hoặc yêu cầu",
    "the rulebook, the rule and the article it comes from": (
        "văn bản, quy định và điều khoản làm căn cứ"
    ),
    "{n} units below, {cs} {m}": "{n} đơn vị cấp dưới, {cs} {m}",
    "leaders (head + deputies)": "lãnh đạo (cấp trưởng + cấp phó)",
    "the kind of unit": "loại đơn vị",
    "a unit the plan creates": "đơn vị do phương án thành lập",
    "a unit whose figures, name or place change": "đơn vị thay đổi số liệu, tên gọi hoặc vị trí",
    "a unit that no longer exists after the plan": "đơn vị không còn sau sắp xếp",
    "units the plan leaves as they were (not listed)": "đơn vị giữ nguyên (không liệt kê)",
    "About this report": "Về báo cáo này",
    "Judged as of {day}, by the rules of:": "Đánh giá tại ngày {day}, theo các văn bản:",
    "Made with orgmodel {version} on {day}.": "Lập bằng orgmodel {version} ngày {day}.",
    "Outline (click to open)": "Sơ đồ dạng danh sách (bấm để mở)",
    "Drawing": "Sơ đồ dạng hình",
    "chart: cannot write {out}: a chart is written as .svg (the drawing) or .html (a page with "
    "the drawing); PNG and other formats are not supported": (
        "chart: không ghi được {out}: sơ đồ chỉ ghi ra tệp .svg (hình vẽ) hoặc .html (trang có "
        "hình vẽ); không hỗ trợ PNG và các định dạng khác"
    ),
    "A focal point is an organizational unit. Civil servants are the civil-servant posts "
    "(biên chế); released ones are posts the plan drops, created ones posts it adds. Leaders are "
    "a unit's head and deputies; a unit's legal posts are 1 head and the most deputies the rules "
    "allow. Surplus leadership posts are the leaders carried into a unit beyond its legal posts, "
    "with the leaders of dissolved units. Each finding cites the article it comes from; one "
    "marked unverified carries a figure not yet confirmed from the text of the instrument.": (
        "Đầu mối là một đơn vị tổ chức. Biên chế là số biên chế công chức; cắt giảm là biên chế "
        "phương án giảm đi, tăng thêm là biên chế phương án bổ sung. Lãnh đạo gồm cấp trưởng và "
        "cấp phó của đơn vị; số vị trí lãnh đạo theo quy định là 1 cấp trưởng và số cấp phó tối "
        "đa được phép. Lãnh đạo dôi dư là số lãnh đạo chuyển về một đơn vị vượt số vị trí theo "
        "quy định, cộng lãnh đạo của các đơn vị giải thể. Mỗi kết luận đều dẫn điều khoản làm căn "
        "cứ; quy định ghi chưa kiểm chứng có số liệu chưa được đối chiếu với văn bản."
    ),
    # split (issue 12)
    "Step {step}: the {total} civil servants of {unit} are divided {parts} among {ids} "
    "(shares {shares}; the largest remainder rounds).": (
        "Bước {step}: {total} biên chế công chức của {unit} được chia {parts} cho {ids} "
        "(tỷ lệ {shares}; làm tròn theo phần dư lớn nhất)."
    ),
    "Step {step}: the {total} public employees of {unit} are divided {parts} among {ids} "
    "(shares {shares}; the largest remainder rounds).": (
        "Bước {step}: {total} viên chức của {unit} được chia {parts} cho {ids} "
        "(tỷ lệ {shares}; làm tròn theo phần dư lớn nhất)."
    ),
    "split": "chia, tách",
    "split among {units}": "chia, tách vào {units}",
    "parts went to {units}": "tách một phần sang {units}",
    "took a part of {units}": "tiếp nhận một phần của {units}",
    "split into": "chia, tách vào",
    "took a part of": "tiếp nhận một phần của",
    "a part of {n}": "một phần của {n} đơn vị",
    # rebalance (issue 13)
    "same parent": "cùng cơ quan cấp trên",
    "same People's Committee": "cùng Ủy ban nhân dân",
    "same province": "cùng tỉnh",
    "{where}, same functions": "{where}, cùng chức năng",
    "Rebalance of {name}": "Điều động cán bộ: {name}",
    "the model": "mô hình",
    "{moved} deputies transferred with their civil-servant posts. Left: {above} posts above "
    "the legal maximum (no vacancy of the same kind and level in the province to go to, or a "
    "minimum the move would break), {vacant} vacant legal posts no one can fill.": (
        "{moved} cấp phó được điều động cùng biên chế công chức của họ. Còn lại: {above} chức "
        "danh lãnh đạo vượt số lượng tối đa (không có chỗ trống cùng loại, cùng cấp trong tỉnh "
        "để điều động đến, hoặc điều động sẽ làm đơn vị dưới mức tối thiểu), {vacant} chức danh "
        "lãnh đạo còn trống không ai có thể đảm nhận."
    ),
    "posts moved (transfers)": "chức danh được điều động (điều động)",
    "posts above the legal maximum, whole model: before → after": (
        "chức danh vượt số lượng tối đa, toàn mô hình: trước → sau"
    ),
    "vacant legal posts, whole model: before → after": (
        "chức danh lãnh đạo còn trống theo quy định, toàn mô hình: trước → sau"
    ),
    "{n} transfers proposed: {posts} deputies move with {cs} civil-servant posts": (
        "đề xuất {n} lượt điều động: {posts} cấp phó chuyển đi cùng {cs} biên chế công chức"
    ),
    "posts above the legal maximum: {before} → {after}; vacant legal posts: {vb} → {va}": (
        "chức danh vượt số lượng tối đa: {before} → {after}; chức danh còn trống theo quy định: "
        "{vb} → {va}"
    ),
    "{plan}, then its rebalance (transfers)": "{plan}, sau đó điều động cán bộ",
    # compare (issue 13)
    "Plans compared": "So sánh các phương án",
    "Plans": "Các phương án",
    "best": "tốt nhất",
    "most": "nhiều nhất",
    "fewest": "ít nhất",
    "file": "tệp",
    "no date": "không ghi ngày",
    "focal points removed": "đầu mối giảm",
    "posts moved": "vị trí điều động",
    "civil servants moved": "biên chế điều động",
    "the plans' effective date": "ngày hiệu lực của các phương án",
    "today: no file gives a date": "hôm nay: không tệp nào ghi ngày",
    "{star} the best value in its row (all tied for it are marked): the most focal points "
    "removed and civil servants released, as streamlining the apparatus and its payroll is "
    "the reform's aim; the most violations cured; the fewest of every other figure.": (
        "{star} giá trị tốt nhất của dòng (các phương án bằng nhau đều được đánh dấu): giảm "
        "nhiều đầu mối nhất và cắt giảm nhiều biên chế nhất, vì tinh gọn bộ máy và tinh giản "
        "biên chế là mục tiêu của cải cách; khắc phục nhiều vi phạm nhất; các chỉ tiêu còn lại "
        "càng ít càng tốt."
    ),
    "The plans take effect on different dates ({dates}); every plan is judged on {day}, by the "
    "same rules.": (
        "Các phương án có ngày hiệu lực khác nhau ({dates}); mọi phương án đều được đánh giá tại "
        "ngày {day}, theo cùng các văn bản."
    ),
    "units before the plan minus units after it": (
        "số đơn vị trước sắp xếp trừ số đơn vị sau sắp xếp"
    ),
    "leaders carried into a unit beyond its legal posts, plus the leaders of dissolved units": (
        "lãnh đạo chuyển về một đơn vị vượt số vị trí theo quy định, cộng lãnh đạo của các đơn "
        "vị giải thể"
    ),
    "deputy posts above a limit in the model after the plan, lawful only until a transition ends": (
        "số cấp phó vượt giới hạn sau sắp xếp, chỉ hợp pháp đến khi hết thời gian chuyển tiếp"
    ),
    "legal leadership posts no carried leader fills": (
        "vị trí lãnh đạo theo quy định không có lãnh đạo nào được bố trí"
    ),
    "civil-servant posts the plan drops (streamlining the payroll)": (
        "biên chế công chức phương án giảm đi (tinh giản biên chế)"
    ),
    "findings after the plan that were not there before": (
        "vi phạm có sau sắp xếp mà trước đó không có"
    ),
    "findings before the plan that are gone after it": (
        "vi phạm có trước sắp xếp và không còn sau sắp xếp"
    ),
    "findings before the plan that are still there after it": (
        "vi phạm có trước sắp xếp và vẫn còn sau sắp xếp"
    ),
    "leadership posts that move with their holders": (
        "vị trí lãnh đạo được điều động cùng người giữ vị trí"
    ),
    "civil-servant posts that move with the people who hold them": (
        "biên chế công chức được điều động cùng người làm việc"
    ),
    "focal points removed, by kind of unit": "đầu mối giảm, theo loại đơn vị",
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


# workbook (issue 11): the columns of a units table in Vietnamese (keys: the English headers,
# which are the org file's field names), other headers an analyst may write for them (the
# importer reads all of these, in any case), and province classes in Vietnamese
TABLE_COLUMNS_VI = {
    "id": "Mã",
    "parent": "Mã cấp trên",
    "kind": "Loại đơn vị",
    "name": "Tên đơn vị",
    "level": "Cấp",
    "class": "Loại tỉnh",
    "civil_servants": "Biên chế",
    "deputies": "Số cấp phó",
    "head": "Cấp trưởng",
    "public_employees": "Viên chức",
    "functions": "Chức năng",
    "name_en": "Tên tiếng Anh",
    "note": "Ghi chú",
    "provinces_merged": "Số tỉnh hợp nhất",
    "reorganized": "Ngày sắp xếp",
    "province class (inherited)": "Loại tỉnh (kế thừa)",
    "path": "Vị trí trong bộ máy",
}
TABLE_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("mã đơn vị", "mã số", "unit id", "code"),
    "parent": ("cấp trên", "đơn vị cấp trên", "mã đơn vị cấp trên", "parent id"),
    "kind": ("loại", "kind of unit"),
    "name": ("tên", "unit name"),
    "level": ("cấp hành chính",),
    "class": ("province class", "phân loại tỉnh", "phân loại"),
    "civil_servants": ("biên chế công chức", "số biên chế", "biên chế được giao"),
    "deputies": ("cấp phó", "phó"),
    "head": ("có cấp trưởng",),
    "public_employees": ("số viên chức", "số lượng người làm việc"),
    "functions": ("chức năng, nhiệm vụ",),
    "name_en": ("english name", "name in english"),
    "note": ("notes",),
    "provinces_merged": ("số tỉnh được hợp nhất",),
    "reorganized": ("ngày sắp xếp lại", "reorganized on"),
    "province class (inherited)": ("loại tỉnh kế thừa",),
}
CLASS_VI = {"special": "đặc biệt"}


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
    """Render in `lang` ("vi" or "en") inside the block, for this thread or task only
    (``with orgmodel.language("vi"): ...``); None keeps the current language."""
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


# a plan step's operation, as the Vietnamese texts of law name it (the file keeps the English key)
OP_VI = {
    "merge": "hợp nhất",
    "absorb": "sáp nhập",
    "dissolve": "giải thể",
    "move": "điều chuyển",
    "rename": "đổi tên",
    "set": "điều chỉnh",
    "create": "thành lập",
    "split": "chia, tách",
    "transfer": "điều động",
}


def op_label(op: str) -> str:
    """A step's operation in the current language ("merge" / "hợp nhất")."""
    return OP_VI.get(op, op) if _LANG.get() == "vi" else op


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
    """A finding's message in the current language, made from its rule kind and basis."""
    if not getattr(v, "basis", None):
        return str(v.message)
    label = {"name": v.path[-1] if v.path else v.unit, "id": v.unit}
    return finding_message(label, v.status, v.basis, _LANG.get(), until=v.until)


# -- the law in words: citations and findings, made from structured data -------------------
# An instrument's kind is read from its number's suffix (ND-CP: a Government decree, NQ-CP: a
# Government resolution, QH..: a National Assembly resolution, QD-..: a decision, e.g. a province's
# QD-UBND, TT-..: a circular).
_INSTRUMENTS = (
    ("/ND-CP", "Decree", "Nghị định", "/NĐ-CP"),
    ("/NQ-CP", "Government Resolution", "Nghị quyết", "/NQ-CP"),
    ("/QH", "Resolution", "Nghị quyết", "/QH"),
    ("/UBTVQH", "Resolution", "Nghị quyết", "/UBTVQH"),
    ("/QD-", "Decision", "Quyết định", "/QĐ-"),
    ("/QĐ-", "Decision", "Quyết định", "/QĐ-"),
    ("/TT-", "Circular", "Thông tư", "/TT-"),
)


def instrument_name(number: str, lang: str) -> str:
    """'Decree 150/2025/ND-CP' or 'Nghị định 150/2025/NĐ-CP'."""
    for suffix, en, vi, vi_suffix in _INSTRUMENTS:
        if suffix in number:
            return f"{vi} {number.replace(suffix, vi_suffix)}" if lang == "vi" else f"{en} {number}"
    return number


def _place(ref: dict[str, Any], lang: str) -> str:
    art, clause, point = ref.get("article"), ref.get("clause"), ref.get("point")
    if art is None:
        return "(chưa ghi nhận điều, khoản)" if lang == "vi" else "(article not recorded)"
    if lang == "vi":
        out = f"Điều {art}"
        if clause:
            out += f" khoản {clause}"
        if point:
            out += f" điểm {point}"
        return out
    return f"Art. {art}" + (f"({clause})" if clause else "") + (f"({point})" if point else "")


def citation_text(cite: dict[str, Any], lang: str = "en") -> str:
    """A citation as lawyers write it: 'Decree 150/2025/ND-CP, Art. 6(2), as amended by Decree
    370/2025/ND-CP' / 'Nghị định 150/2025/NĐ-CP, Điều 6 khoản 2, sửa đổi bởi Nghị định
    370/2025/NĐ-CP'."""
    parts: list[str] = []
    last_of = None
    and_ = " và " if lang == "vi" else " and "
    for ref in cite.get("refs", ()):
        of = ref["of"]
        text = _place(ref, lang)
        am = ref.get("amending")
        if am:
            where = _place(am, lang)
            other = instrument_name(am["of"], lang)
            text += (
                f", sửa đổi {where} {other}" if lang == "vi" else f", amending {where} of {other}"
            )
        sep = " " if ref.get("article") is None else ", "
        if of == last_of:
            parts[-1] += and_ + text
        else:
            parts.append(f"{instrument_name(of, lang)}{sep}{text}")
        last_of = of
    out = "; ".join(parts)
    by = cite.get("by")
    if by:
        name = instrument_name(by["of"], lang)
        if lang == "vi":
            out += f", {'sửa đổi' if by['how'] == 'amended' else 'bổ sung'} bởi {name}"
        else:
            out += f", as {by['how']} by {name}"
    return out


_LEAD_BASIS = {
    "plan": (
        "no rule covers it: 1 + the deputies the plan gives it",
        "không có quy định áp dụng: 1 cấp trưởng + số cấp phó phương án giao",
    ),
    "held": (
        "no rule covers it: 1 + the deputies it holds after the plan",
        "không có quy định áp dụng: 1 cấp trưởng + số cấp phó đơn vị có sau sắp xếp",
    ),
}


def leadership_basis(
    source: str, rule: str | None, cite: dict[str, Any] | None, lang: str = "en"
) -> str:
    """How a touched unit's legal leadership posts were found, in `lang`: the rule and its
    citation ('decree-107-2020 division-max-deputies (Nghị định 107/2020/NĐ-CP, Điều 1
    khoản 3 ...)'), or which deputies stood in for a missing rule."""
    if source in _LEAD_BASIS:
        en, vi = _LEAD_BASIS[source]
        return vi if lang == "vi" else en
    return f"{rule} ({citation_text(cite or {}, lang)})" if cite else str(rule or "")


def number(x: Any, lang: str) -> str:
    """A figure with the language's separators: 1,734.5 (en) / 1.734,5 (vi)."""
    if isinstance(x, float) and not x.is_integer():
        text = f"{x:,.2f}".rstrip("0").rstrip(".")
    elif isinstance(x, (int, float)) and not isinstance(x, bool):
        text = f"{int(x):,}"
    else:
        return str(x)
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _kinds(sel: dict[str, Any] | None, lang: str, *, parent: bool = True) -> str:
    """'division under a department' / 'Phòng thuộc Sở' from a selector's data."""
    if not sel:
        return ""
    key = (repr(sorted(sel.items())), lang, parent)
    text = _KINDS_CACHE.get(key)
    if text is None:
        text = _KINDS_CACHE[key] = _kinds_text(sel, lang, parent)
    return text


_KINDS_CACHE: dict[tuple[str, str, bool], str] = {}


def _kinds_text(sel: dict[str, Any], lang: str, parent: bool) -> str:
    with using(lang):
        or_ = " hoặc " if lang == "vi" else " or "
        kinds = sel.get("kind") or ()
        kinds = [kinds] if isinstance(kinds, str) else kinds
        text = or_.join(kind_label(k) for k in kinds)
        if sel.get("level"):
            text += f" {level_label(sel['level'])}" if lang == "vi" else ""
            text = text if lang == "vi" else f"{sel['level']} {text}"
        parents = (sel.get("parent") or ()) if parent else ()
        parents = [parents] if isinstance(parents, str) else parents
        if parents:
            ptext = or_.join(kind_label(k) for k in parents)
            if sel.get("parent_level"):
                ptext = (
                    f"{ptext} {level_label(sel['parent_level'])}"
                    if lang == "vi"
                    else f"{sel['parent_level']} {ptext}"
                )
            text += f" thuộc {ptext}" if lang == "vi" else f" under a {ptext}"
    return text


LEVEL_VI = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}


def level_label(level: str) -> str:
    return LEVEL_VI.get(level, level) if _LANG.get() == "vi" else level


# a unit's fields as people read them (diffs): English, Vietnamese
FIELD_LABELS = {
    "id": ("id", "mã"),
    "name": ("name", "tên"),
    "name_en": ("English name", "tên tiếng Anh"),
    "kind": ("kind", "loại hình"),
    "parent": ("parent", "đơn vị cấp trên"),
    "level": ("level", "cấp"),
    "province_class": ("province class", "loại đơn vị hành chính"),
    "class": ("province class", "loại đơn vị hành chính"),
    "civil_servants": ("civil servants", "biên chế công chức"),
    "deputies": ("deputies", "cấp phó"),
    "head": ("head", "cấp trưởng"),
    "public_employees": ("public employees", "viên chức"),
    "functions": ("functions", "chức năng"),
    "note": ("note", "ghi chú"),
    "provinces_merged": ("provinces merged", "số tỉnh hợp nhất"),
    "reorganized": ("reorganized on", "ngày sắp xếp"),
}


def field_label(name: str) -> str:
    """A unit's field as people read it: 'civil servants' / 'biên chế công chức'."""
    pair = FIELD_LABELS.get(name)
    if pair is None:
        return name
    return pair[1] if _LANG.get() == "vi" else pair[0]


def value_text(name: str, value: Any) -> str:
    """A field's value as people read it in the current language (kinds, levels, dates,
    figures; an unset value is '—')."""
    lang = _LANG.get()
    value = getattr(value, "value", value)
    if value is None or value == ():
        return "—"
    if name == "kind":
        return kind_label(str(value))
    if name == "level":
        return level_label(str(value))
    if isinstance(value, tuple):
        return ", ".join(str(getattr(v, "value", v)) for v in value)
    if hasattr(value, "isoformat"):
        return day_text(value, lang)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value, lang)
    return str(value)


def period_text(start: Any, end: Any = None) -> str:
    """'from 2025-06-16' / 'từ ngày 16/06/2025'; with an end, 'A to B' / 'từ ngày A đến ngày B'."""
    lang = _LANG.get()
    if end is None:
        return _("from {day}", day=day_text(start, lang))
    return _("{start} to {end}", start=day_text(start, lang), end=day_text(end, lang))


def class_phrase(basis: dict[str, Any], lang: str) -> str:
    cls = basis.get("class")
    if not basis.get("class_dependent") or cls is None:
        return ""
    if lang == "vi":
        return " ở thành phố loại đặc biệt" if cls == "special" else f" ở tỉnh loại {cls}"
    return " in a special-class city" if cls == "special" else f" in a class-{cls} province"


_MEASURE = {
    "civil_servants": ("civil servants", "biên chế công chức"),
    "divisions": ("divisions", "phòng"),
}

# what each rule kind found, by status; {placeholders} are the finding's basis and label
_FINDINGS: dict[str, tuple[str, str]] = {
    "min_civil_servants": (
        "{label} has {value} civil servants; a {unit_kind}{class_phrase} needs at least {minimum}",
        "{label} có {value} biên chế công chức; {unit_kind}{class_phrase} phải có tối thiểu "
        "{minimum}",
    ),
    "max_deputies": (
        "{label} holds {deputies} deputy heads; with {value} {measure}{class_phrase} the limit "
        "is {limit}",
        "{label} có {deputies} cấp phó; với {value} {measure}{class_phrase} số cấp phó tối đa "
        "là {limit}",
    ),
    "average_deputies": (
        "{label}: its {counted} units ({counted_kinds}) hold {deputies} deputy heads in total; "
        "the limit{class_phrase} is {formula}",
        "{label}: {counted} đơn vị ({counted_kinds}) có tổng cộng {deputies} cấp phó; "
        "tối đa{class_phrase} là {formula}",
    ),
    "max_units": (
        "{label} has {counted} units ({counted_kinds}); at most {maximum} are allowed"
        "{class_phrase}",
        "{label} có {counted} đơn vị ({counted_kinds}); tối đa {maximum} đơn vị{class_phrase}",
    ),
    "average_units": (
        "{label}: its {averaged_over} units ({per_kinds}) have {counted} units ({counted_kinds}), "
        "{average} each on average; at most {max_average} on average ({limit} in total)"
        "{class_phrase}",
        "{label}: {averaged_over} đơn vị ({per_kinds}) có {counted} đơn vị ({counted_kinds}), "
        "bình quân {average}; tối đa bình quân {max_average} (tổng cộng {limit}){class_phrase}",
    ),
    "max_deputies_of_parent": (
        "{label} holds {deputies} deputy heads, more than its parent {parent} ({parent_deputies})",
        "{label} có {deputies} cấp phó, nhiều hơn đơn vị cấp trên trực tiếp {parent} "
        "({parent_deputies})",
    ),
    "max_deputies_of_siblings": (
        "{label} has no internal units and holds {deputies} deputy heads, more than {sibling} "
        "({sibling_deputies}), which has internal units under the same parent",
        "{label} không có đơn vị cấu thành nhưng có {deputies} cấp phó, nhiều hơn {sibling} "
        "({sibling_deputies}) là đơn vị có đơn vị cấu thành cùng cấp",
    ),
    "not_allowed": (
        "{label}: a {unit_kind} is not allowed",
        "{label}: không được tổ chức {unit_kind}",
    ),
    "no_verified_rule": (
        "{label}: {instrument} sets a limit for a {unit_kind}, but its figure is not confirmed "
        "from the text; no verified rule was applied",
        "{label}: {instrument} có quy định giới hạn cho {unit_kind} nhưng chưa đối chiếu được "
        "số liệu trong văn bản; chưa áp dụng quy định đã kiểm chứng nào",
    ),
}
# the same, for a rule the unit meets (`check --explain`)
_PASSES: dict[str, tuple[str, str]] = {
    "min_civil_servants": (
        "{label} has {value} civil servants; at least {minimum} needed{class_phrase}",
        "{label} có {value} biên chế công chức; tối thiểu {minimum}{class_phrase}",
    ),
    "max_deputies": (
        "{label} holds {deputies} deputy heads; with {value} {measure}{class_phrase} at most "
        "{limit}",
        "{label} có {deputies} cấp phó; với {value} {measure}{class_phrase} tối đa {limit}",
    ),
    "average_deputies": (
        "{label}: {deputies} deputy heads in {counted} units; at most{class_phrase} {formula}",
        "{label}: {deputies} cấp phó tại {counted} đơn vị; tối đa{class_phrase} {formula}",
    ),
    "max_units": (
        "{label} has {counted} units ({counted_kinds}); at most {maximum}{class_phrase}",
        "{label} có {counted} đơn vị ({counted_kinds}); tối đa {maximum}{class_phrase}",
    ),
    "average_units": (
        "{label}: {average} units on average per {per_kinds}; at most {max_average}{class_phrase}",
        "{label}: bình quân {average} đơn vị mỗi {per_kinds}; tối đa {max_average}{class_phrase}",
    ),
    "max_deputies_of_parent": (
        "{label} holds {deputies} deputy heads; its parent {parent} holds {parent_deputies}",
        "{label} có {deputies} cấp phó; đơn vị cấp trên {parent} có {parent_deputies}",
    ),
    "max_deputies_of_siblings": (
        "{label} holds {deputies} deputy heads; {sibling}, with internal units, holds "
        "{sibling_deputies}",
        "{label} có {deputies} cấp phó; {sibling} (có đơn vị cấu thành) có {sibling_deputies}",
    ),
    "not_allowed": ("{label}", "{label}"),
    "no_verified_rule": ("{label}", "{label}"),
}
_CLASS_UNKNOWN = (
    "{label}: province class unknown, so rule {rule} cannot be applied; state "
    "`class: special|I|II|III` on the province People's Committee",
    "{label}: chưa xác định loại đơn vị hành chính cấp tỉnh nên chưa áp dụng được quy định "
    "{rule}; hãy khai báo `class` cho Ủy ban nhân dân tỉnh",
)
_TRANSITION = (
    " — over the limit after the reorganization of {reorganized}; lawful until {until} "
    "({years}-year transition)",
    " — vượt giới hạn sau khi sắp xếp ngày {reorganized}; được giữ đến ngày {until} "
    "(thời gian chuyển tiếp {years} năm)",
)


def day_text(day: Any, lang: str) -> str:
    """2030-07-01 / 01/07/2030."""
    text = day.isoformat() if hasattr(day, "isoformat") else str(day)
    if lang == "vi" and len(text) == 10:
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


def _formula(b: dict[str, Any], lang: str) -> str:
    def n(x: Any) -> str:
        return number(x, lang)

    out = f"{n(b['per_unit'])} × {n(b['counted'])}"
    if b.get("extra"):
        out += f" + {n(b['extra'])}"
    if b.get("merge_extra"):
        out += f" + {n(b['merge_extra_per_unit'])} × {n(b['counted'])}"
        out += (
            f" ({n(b['provinces_merged'])} tỉnh hợp nhất)"
            if lang == "vi"
            else f" ({n(b['provinces_merged'])} provinces merged)"
        )
    return f"{out} = {n(b['limit'])}"


def _fields(label: dict[str, str], basis: dict[str, Any], lang: str) -> dict[str, Any]:
    vi = lang == "vi"
    f: dict[str, Any] = {
        k: number(v, lang) for k, v in basis.items() if isinstance(v, (int, float))
    }
    f["label"] = f"{label['name']} ({label['id']})" if label["name"] != label["id"] else label["id"]
    f["rule"] = basis.get("rule", "")
    f["unit_kind"] = _kinds(basis.get("applies_to"), lang)
    f["counted_kinds"] = _kinds(basis.get("counts"), lang, parent=False)
    f["per_kinds"] = _kinds(basis.get("per"), lang, parent=False)
    f["class_phrase"] = class_phrase(basis, lang)
    f["measure"] = _MEASURE.get(basis.get("measure", ""), ("", ""))[1 if vi else 0]
    f["limit"] = number(basis.get("band", {}).get("max", basis.get("limit")), lang)
    f["parent"] = basis.get("parent", "")
    f["sibling"] = basis.get("sibling", "")
    cite = basis.get("citation") or {}
    refs = cite.get("refs") or [{}]
    f["instrument"] = instrument_name(refs[0].get("of", basis.get("rulebook", "")), lang)
    if basis.get("kind") == "average_deputies" and "limit" in basis:
        f["formula"] = _formula(basis, lang)
    return f


def finding_message(
    label: dict[str, str],
    status: str,
    basis: dict[str, Any],
    lang: str = "en",
    *,
    until: Any = None,
    passed: bool = False,
) -> str:
    """What a rule found on a unit, in English or Vietnamese, from its kind and basis."""
    i = 1 if lang == "vi" else 0
    f = _fields(label, basis, lang)
    if status == "class_unknown":
        return _CLASS_UNKNOWN[i].format(**f)
    table = _PASSES if passed else _FINDINGS
    template = table.get(basis.get("kind", ""), ("{label}", "{label}"))[i]
    try:
        text = template.format(**f)
    except (KeyError, IndexError):  # a basis without a figure the template names
        text = f["label"]
    t = basis.get("transition")
    if status == "transition" and t:
        text += _TRANSITION[i].format(
            reorganized=day_text(t["reorganized"], lang),
            until=day_text(until or t["until"], lang),
            years=t["years"],
        )
    return text


def note_text(template: str, params: dict[str, Any], lang: str = "en") -> str:
    """A simulation note in a language: citations, dates and numbers written as it writes them."""
    out: dict[str, Any] = {}
    for k, v in params.items():
        if isinstance(v, dict) and "refs" in v:
            out[k] = citation_text(v, lang)
        elif hasattr(v, "isoformat"):
            out[k] = day_text(v, lang)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[k] = number(v, lang)
        elif isinstance(v, tuple):  # figures side by side: "14 / 6"
            out[k] = " / ".join(number(x, lang) for x in v)
        else:
            out[k] = "" if v is None else v
    text = VI.get(template, template) if lang == "vi" else template
    return text.format(**out)


def basis_sentence(basis: dict[str, Any], lang: str = "en") -> str:
    """The facts a finding was decided on, as one plain sentence."""
    vi = lang == "vi"

    def n(x: Any) -> str:
        return number(x, lang)

    parts: list[str] = []
    if basis.get("class_dependent") or basis.get("class"):
        cls = basis.get("class")
        if cls is None:
            parts.append("Loại tỉnh: chưa xác định" if vi else "Province class: unknown")
        else:
            src = basis.get("class_from")
            name = ("đặc biệt" if vi else "special") if cls == "special" else cls
            head = f"Loại tỉnh {name}" if vi else f"Class {name}"
            if src:
                head += f" (khai báo tại {src})" if vi else f" (stated on {src})"
            parts.append(head)
    kind = basis.get("kind")
    if kind in ("min_civil_servants", "max_deputies") and "value" in basis:
        measure = _MEASURE.get(basis.get("measure", ""), ("", ""))[1 if vi else 0]
        parts.append(f"{n(basis['value'])} {measure}")
        band = basis.get("band")
        if band:
            lo, hi, mx = band["from"], band["to"], band["max"]
            span = f"{n(lo)}–{n(hi)}" if hi is not None else f"{n(lo)}+"
            parts.append(
                f"khung {span}: tối đa {n(mx)} cấp phó" if vi else f"band {span}: at most {n(mx)}"
            )
        if basis.get("minimum") is not None:
            parts.append(
                f"tối thiểu {n(basis['minimum'])}" if vi else f"minimum {n(basis['minimum'])}"
            )
    elif kind == "average_deputies" and "limit" in basis:
        parts.append(("giới hạn " if vi else "limit ") + _formula(basis, lang))
    elif kind == "max_units":
        counted = f"{n(basis['counted'])} " + ("đơn vị được tính" if vi else "units counted")
        if basis.get("maximum") is not None:
            counted += (", tối đa " if vi else ", at most ") + n(basis["maximum"])
        parts.append(counted)
    elif kind == "average_units" and basis.get("max_average") is not None:
        parts.append(
            f"{n(basis['counted'])} / {n(basis['averaged_over'])} = {n(basis['average'])}, tối đa "
            f"{n(basis['max_average'])}"
            if vi
            else f"{n(basis['counted'])} / {n(basis['averaged_over'])} = {n(basis['average'])}, "
            "at most "
            f"{n(basis['max_average'])}"
        )
    elif kind == "max_deputies_of_parent":
        parts.append(
            f"cấp trên {basis['parent']} có {n(basis['parent_deputies'])} cấp phó"
            if vi
            else f"parent {basis['parent']} holds {n(basis['parent_deputies'])} deputies"
        )
    elif kind == "max_deputies_of_siblings":
        parts.append(
            f"{basis['sibling']} có {n(basis['sibling_deputies'])} cấp phó"
            if vi
            else f"{basis['sibling']} holds {n(basis['sibling_deputies'])} deputies"
        )
    t = basis.get("transition")
    if t:
        parts.append(
            f"sắp xếp ngày {day_text(t['reorganized'], lang)}, chuyển tiếp {t['years']} năm "
            f"đến {day_text(t['until'], lang)}"
            if vi
            else f"reorganized {t['reorganized']}, {t['years']}-year transition until {t['until']}"
        )
    rule = f"{basis.get('rulebook', '')} {basis.get('rule', '')}".strip()
    am = basis.get("amends")
    if am:
        rule += (
            f", thay thế {am['rulebook']} {am['rule']}"
            if vi
            else f", replacing {am['rulebook']} {am['rule']}"
        )
    parts.append(("quy định " if vi else "rule ") + rule)
    return "; ".join(parts) + "."


# -- error messages --------------------------------------------------------------------------
# Errors carry a `Msg` (a code, its params, its English text). Vietnamese templates, by code: the
# same fields as the English template (tests/test_errors_vi.py checks), filled by `message_text`.
ERRORS_VI: dict[str, str] = {
    # suggest (issue 13)
    "advice_plan_name": "Phương án đề xuất cho {model}",
    "advice_plan_note": "orgmodel đề xuất theo các quy định có hiệu lực ngày {day} ({rulebooks}): "
    "{steps} bước; {left} vấn đề không bước nào của phương án khắc phục được.",
    "advice_trim": "{finding} ({rule}; {citation}): giảm số cấp phó từ {held} xuống {limit}",
    "advice_transfer": "{finding} ({rule}; {citation}): điều động, {moves}",
    "transfer_note": (
        "điều động {n:,} trong số {above:,} chức danh lãnh đạo vượt số lượng tối đa của {sender} "
        "({sender_rule}, {sender_cite}) sang {n:,} trong số {vacant:,} chức danh lãnh đạo còn "
        "trống theo quy định của {receiver} ({receiver_rule}, {receiver_cite}); {where}"
    ),
    "advice_fold_shared": "{finding} ({rule}; {citation}): hợp nhất vào {target}, đơn vị cùng "
    "cấp có chức năng trùng nhiều nhất ({shared} chức năng chung)",
    "advice_fold_smallest": "{finding} ({rule}; {citation}): hợp nhất vào {target}, đơn vị cùng "
    "cấp nhỏ nhất có thể nhận (không có chức năng chung)",
    "advice_every_merge_breaks": "cả {n} phương án hợp nhất với đơn vị cùng cấp đều vi phạm "
    "quy định khác hoặc vẫn chưa đáp ứng quy định",
    "advice_branch_unit": "{finding} ({rule}; {citation}): tổ chức lại vào đơn vị cấp trên; "
    "đơn vị {child} hợp nhất vào {target}, đơn vị gần nhất về chức năng",
    "advice_branch_dissolve": "{finding} ({rule}; {citation}): giải thể, biên chế chuyển về "
    "{target}",
    "advice_average_trim": "{finding} ({rule}; {citation}): giảm số cấp phó của {unit} từ "
    "{held} xuống {to}, bắt đầu từ đơn vị có nhiều cấp phó nhất",
    "advice_pair": "{finding} ({rule}; {citation}): hợp nhất {a} và {b}, cặp đơn vị có chức "
    "năng trùng nhiều nhất ({shared} chức năng chung)",
    "advice_pair_smallest": "{finding} ({rule}; {citation}): hợp nhất {a} và {b}, cặp đơn vị "
    "nhỏ nhất (không có hai đơn vị nào có chức năng chung)",
    "advice_no_pair": "không cặp đơn vị nào trong số được tính có thể hợp nhất mà không vi phạm "
    "quy định khác",
    "advice_no_remedy": "không có phương án hợp nhất, tổ chức lại hay giảm cấp phó nào khắc "
    "phục được mà không vi phạm quy định khác",
    "advice_no_parent": "không có đơn vị cấp trên để tổ chức lại vào",
    "advice_no_sibling": "đơn vị cấp trên không có đơn vị nào khác để hợp nhất",
    "advice_no_target": "đơn vị cấp trên không có đơn vị nào (không có đơn vị trực thuộc) để "
    "tiếp nhận biên chế",
    "advice_fold_breaks": "tổ chức lại vào đơn vị cấp trên sẽ vi phạm quy định khác hoặc vẫn "
    "chưa đáp ứng quy định",
    "advice_trim_breaks": "giảm số cấp phó sẽ vi phạm quy định khác",
    "advice_class_unknown": "mức của quy định khác nhau theo loại đơn vị hành chính cấp tỉnh và "
    "chưa nêu loại: hãy nêu 'class' cho tỉnh (không bước nào của phương án làm được)",
    "advice_no_figure": "pháp luật quy định mức ở đây nhưng orgmodel chưa có con số: không thể "
    "đo theo quy định này",
    # vietnam (issue 12)
    "split_successor_share": (
        "đơn vị kế thừa {id!r} nhận {leaders} lãnh đạo nhưng phần chia chỉ cho {cs} trong {total} "
        "biên chế (lãnh đạo tính trong biên chế); hãy chia cho đơn vị này phần lớn hơn"
    ),
    "bilingual": "{en:.0}{vi}",
    "vietnam_date_outside": (
        "dữ liệu Việt Nam kèm theo có cơ cấu từ {start} đến {end} ({before} tỉnh) và từ {after} "
        "({now} tỉnh); ngày {day} nằm trước đó"
    ),
    "vietnam_province_unknown": (
        "không có tỉnh {name!r} vào ngày {day}{near}; hãy ghi mã ({first} đến {last}) hoặc tên, "
        "ví dụ {example!r}"
    ),
    "did_you_mean_list": " (có phải là {names}?)",
    "vietnam_departments_date": (
        "các cơ quan chuyên môn mọi tỉnh đều có là của {law}, có hiệu lực từ {start}; ngày {day} "
        "nằm trước đó (hãy dùng --as-of {start} hoặc sau)"
    ),
    "classes_not_csv": ("đây là tệp Excel; hãy lưu hai cột (tỉnh, phân loại) dưới dạng CSV UTF-8"),
    "classes_nul": "tệp chứa byte NUL; cần văn bản CSV",
    "classes_two_columns": (
        "cần hai ô: tỉnh (mã hoặc tên) và phân loại (đặc biệt, I, II hoặc III), có {n}"
    ),
    "classes_bad_class": (
        "{value!r} không phải phân loại đơn vị hành chính cấp tỉnh; cần đặc biệt, I, II hoặc "
        "III (special, loại I, loại II, loại III)"
    ),
    "classes_twice": "{name} được ghi phân loại hai lần (cả ở dòng {first})",
    "classes_fixed_by_law": (
        "{name} là loại {fixed} theo luật ({law}); không thể ghi loại {given}"
    ),
    "workbook_named_csv": (
        "đây là sổ tính Excel (.xlsx), không phải tệp văn bản CSV; hãy đặt tên tệp đuôi .xlsx, "
        "hoặc lưu lại từ Excel dưới dạng CSV UTF-8"
    ),
    "merged_cells": (
        "các ô {cells} đang được gộp: chỉ ô {first} có giá trị, các ô còn lại sẽ bị đọc là "
        "trống; hãy bỏ gộp ô và điền đủ từng ô"
    ),
    "formula_without_value": (
        "ô {cell} chứa công thức được lưu mà không có giá trị đã tính; hãy mở tệp bằng Excel "
        "và lưu lại, hoặc nhập trực tiếp giá trị"
    ),
    "cell_not_whole_number": "{field} phải là số nguyên, nhận được {value}",
    "cell_below_minimum": "{field} phải từ {least} trở lên, nhận được {value}",
    "cell_above_maximum": "{field} không được quá {most:,}, nhận được {value}",
    "cell_not_text": "{field} phải là văn bản, nhận được {value}",
    "format_suffix": (
        "--format {fmt} ghi tệp {wanted}, không phải {suffix}; hãy đặt tên tệp theo định dạng, "
        "hoặc chọn định dạng đúng với tên tệp (--format)"
    ),
    # shared phrases
    "expected_one_of": "giá trị hợp lệ: {choices}",
    "did_you_mean": "có phải là {word!r}? ",
    "field": "{name!r}",  # rendered with the field's Vietnamese name, see `message_text`
    "field_bare": "{name}",  # the field's Vietnamese name
    "in_unit": "đơn vị {id!r}",
    "what_big_number": "một số có khoảng {digits:,} chữ số",
    "what_boolean": "giá trị logic {value}",
    "what_list": "một danh sách",
    "what_mapping": "một ánh xạ",
    "what_nothing": "giá trị trống",
    "what_text": "văn bản {value!r}",
    "what_value": "{type} {value!r}",
    # the model's invariants
    "control_character": "{field} chứa ký tự điều khiển {char} ở vị trí {position}; hãy xóa nó "
    "(tên và mã là văn bản thuần)",
    "control_character_functions": "'functions' (chức năng) chứa ký tự điều khiển",
    "id_empty": "'id' (mã) phải là văn bản không rỗng",
    "level_missing": "Ủy ban nhân dân {id!r} thiếu 'level' (cấp); {expected}",
    "leaders_exceed_civil_servants": "đơn vị {id!r} khai {civil_servants:,} biên chế nhưng có "
    "{head} cấp trưởng và {deputies:,} cấp phó; biên chế ('civil_servants') tính cả lãnh đạo nên "
    "phải có ít nhất {least:,}",
    "provinces_merged_not_province": "'provinces_merged' (số tỉnh hợp nhất) chỉ khai cho Ủy ban "
    "nhân dân cấp tỉnh",
    "bad_date": "phải là ngày dạng YYYY-MM-DD, nhận được {value!r}",
    "bad_date_of": "{name} phải là ngày dạng YYYY-MM-DD, nhận được {value!r}",
    "unit_too_deep": "đơn vị {id!r} nằm sâu {depth} cấp; orgmodel chỉ đọc và ghi tối đa {most} "
    "cấp đơn vị",
    "duplicate_unit_id": "mã đơn vị {id!r} bị trùng",
    "unknown_parent_of": "đơn vị {id!r} có cấp trên không tồn tại {parent!r}",
    "parent_cycle": "quan hệ cấp trên tạo thành vòng lặp",
    "name_surrogate": "tên mô hình chứa ký tự thay thế đơn lẻ (không phải văn bản)",
    # org files
    "unknown_key": "khóa không hợp lệ {key!r}; {hint}{expected}",
    "tab_indent": "dùng ký tự tab để thụt lề; YAML chỉ thụt lề bằng dấu cách",
    "file_empty": "tệp rỗng; cần một ánh xạ gồm 'format: {format}', 'name' và 'units'",
    "org_not_mapping": "cần một ánh xạ gồm 'format: {format}', 'name' và 'units', nhận được {got}",
    "missing_format": "thiếu 'format'; cần 'format: {format}' ở dòng đầu tiên",
    "unknown_format": "định dạng không hợp lệ {got!r}; phiên bản orgmodel này đọc '{format}' "
    "(tệp phương án có format '{other}')",
    "not_text": "{field} phải là văn bản, nhận được {got}",
    "missing_units": "thiếu 'units'; cần danh sách đơn vị",
    "units_not_list": "'units' phải là danh sách đơn vị, nhận được {got}",
    "unit_not_mapping": "mỗi đơn vị phải là một ánh xạ gồm id, kind và name, nhận được {got}",
    "unknown_unit_key": "khóa không hợp lệ {key!r}; {hint}một đơn vị có thể có: {keys}",
    "duplicate_id": "mã đơn vị {id!r} bị trùng: đã dùng ở dòng {first}; mã đơn vị phải là duy "
    "nhất trong tệp",
    "unit_missing_field": "đơn vị {id!r} thiếu {field}",
    "units_too_deep": "các đơn vị lồng sâu hơn {most} cấp dưới {id!r}; orgmodel đọc tối đa {most} "
    "cấp",
    "children_not_list": "'children' (đơn vị cấp dưới) của {id!r} phải là danh sách đơn vị, "
    "nhận được {got}",
    "id_missing": "đơn vị thiếu 'id' (mã ngắn, duy nhất trong tệp)",
    "id_not_text": "'id' (mã) phải là văn bản không rỗng, nhận được {got}",
    "unit_missing_key": "đơn vị {id!r} thiếu {field}",
    "unknown_value": "giá trị {field} không hợp lệ {value!r} (đơn vị {id!r}); {hint}{expected}",
    "head_not_0_or_1": "{field} của đơn vị {id!r} phải là 0 hoặc 1 (có cấp trưởng hay không?), "
    "nhận được {value!r}",
    "too_large": "{field} của đơn vị {id!r} tối đa là {most:,}, nhận được {got}",
    "too_small": "{field} của đơn vị {id!r} phải từ {least} trở lên, nhận được {value!r}",
    "not_whole_number": "{field} của đơn vị {id!r} phải là số nguyên, nhận được {got}",
    "unit_not_text": "{field} của đơn vị {id!r} phải là văn bản, nhận được {got}",
    "unit_field_problem": "{field} của đơn vị {id!r} {problem}",
    "unit_problem": "{problem}",
    "unit_invalid": "{detail}",
    "functions_not_list": "'functions' (chức năng) của đơn vị {id!r} phải là danh sách các "
    "nhãn ngắn",
    "unit_field_invalid": "{field} của đơn vị {id!r} không hợp lệ: {detail}",
    # YAML
    "yaml_control_character": "không được có ký tự điều khiển {char} trong tệp YAML; hãy xóa nó "
    "(tệp có được lưu dạng văn bản không?)",
    "yaml_nesting": "tệp lồng danh sách và ánh xạ sâu hơn {most:,} cấp (thụt lề và '-' ở đầu "
    "dòng {line}); một bộ máy chỉ sâu vài cấp",
    "yaml_too_deep": "tệp lồng quá sâu",
    "yaml_error": "lỗi YAML: {detail}",
    "yaml_syntax": "lỗi cú pháp YAML: {detail}",
    "yaml_several_documents": "tệp chứa nhiều tài liệu YAML; chỉ được có một",
    "yaml_tag": "không được dùng thẻ YAML {tag!r}; tệp orgmodel chỉ dùng giá trị thuần (không "
    "thẻ, không đối tượng Python)",
    "yaml_tag_directive": "không được dùng chỉ thị %TAG; tệp orgmodel chỉ dùng giá trị thuần "
    "(không thẻ)",
    "yaml_recursive_alias": "bí danh *{name} trỏ tới chính nút chứa nó (bí danh đệ quy); hãy "
    "viết dữ liệu ra đầy đủ",
    "yaml_alias_before_anchor": "bí danh *{name} được dùng trước khi neo &{name} được khai báo",
    "yaml_alias_bomb": "neo và bí danh YAML bung ra hơn {most:,} nút và ký tự (nghi tấn công "
    "'alias bomb'); hãy viết đầy đủ dữ liệu thay vì dùng bí danh",
    "yaml_rs_too_deep": "tệp lồng danh sách và ánh xạ quá sâu (yaml-rs: {detail}); một bộ máy "
    "chỉ sâu vài cấp",
    "duplicate_key": "khóa {key!r} bị lặp (đã có ở dòng {first}); mỗi khóa chỉ được xuất hiện "
    "một lần",
    # plans
    "step_at": "bước {n} ({op}, dòng {line})",
    "step_n": "bước {n} ({op})",
    "create_names_units": "bước create không nêu đơn vị hiện có; hãy ghi các trường của đơn vị mới",
    "step_one_unit": "bước {op} chỉ tác động lên đúng một đơn vị, có {n}",
    "step_needs_place": "bước {op} cần {key!r}: nơi mới của đơn vị",
    "rename_needs_name": "bước rename cần 'name' (tên) không rỗng",
    "not_unit_id": "{what} phải là mã đơn vị (văn bản), nhận được {got}",
    "must_be_text": "{what} phải là văn bản, nhận được {got}",
    "must_be_nonempty_text": "{what} phải là văn bản không rỗng, nhận được {got}",
    "merge_too_few": "hợp nhất cần ít nhất hai đơn vị, có {n}",
    "created_needs": "đơn vị được thành lập cần {key}",
    "merge_twice": "một đơn vị được liệt kê hai lần trong 'merge'",
    "created_pc_needs_level": "Ủy ban nhân dân được thành lập cần 'level' (cấp)",
    "fields_not_mapping": "cần một ánh xạ các trường của đơn vị, nhận được {got}",
    "unknown_field": "trường không hợp lệ {key!r}; {hint}{expected}",
    "unknown_choice": "giá trị {field} không hợp lệ {value!r}; {expected}",
    "count_out_of_range": "{field} phải là số nguyên từ 0 đến {most:,}, nhận được {got}",
    "head_0_or_1": "'head' (cấp trưởng) phải là 0 hoặc 1, nhận được {value}",
    "provinces_merged_range": "'provinces_merged' (số tỉnh hợp nhất) phải là số nguyên từ 1 đến "
    "63, nhận được {got}",
    "functions_not_texts": "'functions' (chức năng) phải là danh sách văn bản, nhận được {got}",
    "each_function": "mỗi chức năng",
    "each_merged_unit": "mỗi đơn vị được hợp nhất",
    "field_invalid": "{field} không hợp lệ: {detail}",
    "not_date": "{field} phải là ngày dạng YYYY-MM-DD, nhận được {got}",
    "plan_empty": "tệp phương án rỗng; cần 'format: {format}' và 'steps'",
    "plan_not_mapping": "cần một ánh xạ gồm 'format: {format}' và 'steps', nhận được {got}",
    "plan_missing_format": "thiếu 'format'; cần 'format: {format}'",
    "plan_unknown_format": "định dạng không hợp lệ {got!r}; tệp phương án có 'format: {format}' "
    "(tệp mô hình có '{other}')",
    "steps_not_list": "'steps' phải là danh sách các bước, nhận được {got}",
    "step_not_mapping": "mỗi bước phải là một ánh xạ, ví dụ 'merge: [a, b]', nhận được {got}",
    "unknown_step": "bước không hợp lệ {key!r}; {hint}mỗi bước bắt đầu bằng một trong: {ops}",
    "step_does_several": "mỗi bước chỉ làm một việc; bước này có {ops}",
    "unknown_step_key": "khóa không hợp lệ {key!r} trong bước {op}; {hint}giá trị hợp lệ: {keys}",
    "step_needs": "bước {op} cần {key!r}",
    "merge_not_list": "'merge' nhận danh sách mã đơn vị, nhận được {got}",
    "set_changes_nothing": "bước set phải thay đổi ít nhất một trường, ví dụ 'civil_servants: 12'",
    # simulation
    "unit_removed": "đơn vị {id!r} đã bị loại bỏ ở {step}",
    "unknown_unit": "không có đơn vị {id!r}{hint}",
    "did_you_mean_unit": " (có phải là {id!r}?)",
    "step_leaders_exceed": "đơn vị {id!r} sẽ có {head} cấp trưởng và {deputies:,} cấp phó nhưng "
    "chỉ có {civil_servants:,} biên chế; biên chế ('civil_servants') tính cả lãnh đạo",
    "step_pc_needs_level": "Ủy ban nhân dân {id!r} cần 'level' (cấp)",
    "hint_merge_cs": "hãy ghi biên chế của đơn vị hợp nhất bằng 'into: {{civil_servants: N}}'",
    "hint_set_cs": "hãy khai biên chế trước bằng một bước 'set'",
    "mixed_unstated_one": "{names} không khai biên chế, nên {cs:,} biên chế đã khai không đủ cho "
    "{head} cấp trưởng và {deputies:,} cấp phó của đơn vị sau sắp xếp (biên chế tính cả lãnh "
    "đạo); {hint}, ít nhất {least:,}",
    "mixed_unstated": "{names} không khai biên chế, nên {cs:,} biên chế đã khai không đủ cho "
    "{head} cấp trưởng và {deputies:,} cấp phó của đơn vị sau sắp xếp (biên chế tính cả lãnh "
    "đạo); {hint}, ít nhất {least:,}",
    "merge_ancestor": "không thể hợp nhất {id!r} với đơn vị cấp trên của chính nó {ancestor!r}; "
    "hãy dùng absorb (sáp nhập) để đưa một đơn vị vào đơn vị cấp trên",
    "merge_id_exists": "mã mới {id!r} đã tồn tại; hãy chọn mã mới hoặc mã của một đơn vị được "
    "hợp nhất",
    "merge_parent_inside": "cấp trên {parent!r} là một đơn vị được hợp nhất hoặc nằm trong đơn "
    "vị đó",
    "merge_parents_differ": "các đơn vị hợp nhất thuộc các cấp trên khác nhau ({parents}); hãy "
    "chỉ rõ bằng 'into: {{parent: ...}}'",
    "absorb_itself": "không thể sáp nhập {id!r} vào chính nó",
    "absorb_descendant": "không thể sáp nhập {id!r} vào đơn vị cấp dưới của chính nó {target!r}",
    "staff_to_inside": "staff_to {id!r} nằm trong đơn vị bị giải thể",
    "move_descendant": "không thể điều chuyển {id!r} về dưới đơn vị cấp dưới của chính nó "
    "{target!r}",
    "move_itself": "không thể điều chuyển {id!r} về dưới chính nó",
    "new_id_exists": "mã mới {id!r} đã tồn tại",
    "after_plan": "sau phương án, {problem}",
    "invalid_unit": "đơn vị không hợp lệ: {detail}",
    # rulebooks
    "class_unknown": "loại không hợp lệ {cls!r}; cần 'all' hoặc từng loại: {classes}",
    "class_both": "hãy ghi 'all' hoặc một con số cho từng loại, không ghi cả hai",
    "class_missing": "chưa có con số cho loại {missing}; hãy ghi 'all' hoặc mọi loại: {classes}",
    "band_none": "{key!r} không có khung nào",
    "band_below": "{key!r}: mọi khung trừ khung cuối cần 'below'; khung cuối không có",
    "band_increase": "{key!r}: 'below' phải tăng dần từ khung này sang khung sau",
    "to_before_from": "'to' ({end}) trước 'from' ({start})",
    "period_to": "{start} đến {end}",
    "period_from": "từ {start}",
    "rule_id_twice": "mã quy định {id!r} bị trùng (đã có ở quy định thứ {other}); mã quy định "
    "phải là duy nhất trong văn bản",
    "replaces_needs_amends": "'replaces' cần 'amends' ở văn bản (văn bản có quy định bị thay thế)",
    "repeals_needs_amends": "'repeals' cần 'amends' (văn bản có các quy định bị bãi bỏ)",
    "transition_unknown_rule": "quy định chuyển tiếp nêu quy định {name!r} mà văn bản này không "
    "có; các quy định của văn bản: {rules}",
    "none": "không có",
    "amends_itself": "văn bản không thể tự sửa đổi chính nó",
    "repealed_and_given": "quy định {id!r} vừa bị bãi bỏ vừa được ghi; quy định cùng mã đã thay "
    "thế quy định được sửa đổi, hãy bỏ nó khỏi 'repeals'",
    "rb_rule": "quy định {id!r}",
    "rb_a_rule": "quy định",
    "rb_rulebook": "văn bản",
    "rb_transition": "quy định chuyển tiếp",
    "rb_at": "{what}: {inner}",
    "rb_no_kind": "{what} không có 'kind'; {expected}",
    "rb_unknown_kind": "{what}: loại quy định không hợp lệ {kind!r}; {expected}",
    "rb_unknown_kind_bare": "{what}: loại quy định không hợp lệ; {expected}",
    "rb_needs": "; {owner} cần: {fields}",
    "rb_missing": "{what} thiếu {key!r}{needs}",
    "rb_may_have": "; {hint}{owner} có thể có: {keys}",
    "rb_unknown_key": "{what}: khóa không hợp lệ {key!r}{allowed}",
    "rb_unknown_value": "{what}: giá trị không hợp lệ {value!r}; {hint}{expected}",
    "rb_invalid": "{what}: {detail}",
    "rb_owner_key": "{key!r}",
    "rb_owner_citation": "trích dẫn",
    "rb_owner_band": "khung",
    "rb_owner_transition": "quy định chuyển tiếp",
    "rb_owner_rule_an": "quy định {kind}",
    "rb_owner_rule": "quy định {kind}",
    "rb_owner_rulebook": "văn bản",
    "rb_not_mapping": "văn bản quy định là một ánh xạ gồm id, title, decree, in_force và rules",
    "rb_citation_text": "quy định {id!r}: hãy ghi trích dẫn dạng "
    "'cite: {{article: .., clause: .., point: ..}}' (lời trích dẫn được tạo từ đó bằng cả hai "
    "ngôn ngữ)",
    "rb_shipped_id": "mã văn bản {id!r} trùng với một văn bản có sẵn; hãy đặt mã riêng (và dùng "
    "'amends' để sửa đổi văn bản có sẵn)",
    "unknown_rulebook": "không có văn bản {ref!r}; các văn bản hiện có: {known} (hoặc một tệp "
    ".yaml)",
    "rb_base_missing": "văn bản {id!r}{src} sửa đổi {base!r}, nhưng văn bản đó không nằm trong "
    "các văn bản được áp dụng",
    "rb_amend_cycle": "các văn bản {names} sửa đổi lẫn nhau",
    "rb_repeals_unknown": "văn bản {id!r}{src} bãi bỏ quy định {rule!r} mà {base!r} không có",
    "rb_replaces_unknown": "văn bản {id!r}{src}: quy định {rule!r} thay thế {old!r} mà {base!r} "
    "không có",
    "rb_transition_unknown": "văn bản {id!r}{src}: quy định chuyển tiếp {transition!r} nêu quy "
    "định {rule!r} mà không văn bản nào trong chuỗi có",
    "rb_same_id": "hai văn bản cùng mã {id!r}{src}{src2}; mã văn bản phải là duy nhất",
    "rb_amends_unknown": "văn bản {id!r} sửa đổi {base!r}, nhưng văn bản đó không có sẵn trong "
    "orgmodel và cũng không được chỉ định; các văn bản hiện có: {known}",
    "rb_listed": "{id} ({period})",
    "no_rulebook": "không có văn bản nào áp dụng cho ngày {day}: các văn bản của orgmodel là "
    "{rulebooks:; }. Hãy chọn ngày --as-of muộn hơn hoặc chỉ định --rulebook.",
    # inputs and outputs
    "size_mib": "{n:,} MiB",
    "size_bytes": "{n:,} byte",
    "size_is": "có dung lượng {size}",
    "size_larger": "lớn hơn mức đó",
    "noun_file": "tệp",
    "noun_table": "bảng",
    "noun": "{what}",
    "no_file_given": "chưa chỉ định tệp; cần đường dẫn tới một {what}",
    "file_too_big": "tệp {size}; chỉ đọc {what} tối đa {limit} (hãy tách tệp, hoặc kiểm tra "
    "lại có đúng tệp không)",
    "is_directory": "là một thư mục, cần một {what}",
    "cannot_read": "không đọc được tệp: {reason}",
    "no_such_file": "không có tệp này",
    "not_regular_file": "không phải tệp thông thường (ống, socket hay thiết bị); hãy lưu dữ liệu "
    "ra tệp trước",
    "not_utf8": "byte {byte} không phải UTF-8 hợp lệ; hãy lưu tệp dạng UTF-8 (văn bản tiếng Việt "
    "phải mã hóa UTF-8)",
    "output_not_given": "{option}: chưa chỉ định tệp; cần đường dẫn của tệp cần ghi",
    "option_output_is_folder": "{option} {out}: là một thư mục; hãy ghi tên tệp cần ghi",
    "output_is_input": "{option} {out}: là một tệp đầu vào của lệnh này ({input}); orgmodel "
    "không bao giờ ghi đè tệp đầu vào: hãy chọn tệp khác",
    "output_twice": "{option} {out}: cũng được dùng cho {other}; mỗi tệp kết quả cần một tệp riêng",
    "output_is_folder": "{out}: là một thư mục; hãy ghi tên tệp cần ghi",
    "write_no_folder": "{out}: không ghi được: thư mục {folder} không tồn tại",
    "write_permission": "{out}: không ghi được: không có quyền ghi trong thư mục {folder}",
    "cannot_write": "{out}: không ghi được: {reason}",
    "no_output_given": "chưa chỉ định tệp kết quả",
    # workbook (issue 11): reading and writing tables
    "expected_table": "cần một bảng .csv hoặc .xlsx",
    "xls_not_read": "không đọc bảng tính Excel 97-2003 (.xls); hãy lưu thành bảng tính .xlsx "
    "(Excel Workbook) hoặc CSV UTF-8",
    "not_a_table": "{expected} ({ends})",
    "name_ends_in": "tên tệp có đuôi {suffix!r}",
    "name_no_extension": "tên tệp không có đuôi",
    "column_n": "cột {n}",
    "sheet_column": "trang {sheet}, cột {letter}",
    "column_ref": "{column} ({header})",
    "csv_no_sheets": "--sheet {sheet!r}: tệp CSV không có trang",
    "bad_xlsx": "không đọc được bảng tính .xlsx: {what}",
    "xlsx_ole2": "đây là bảng tính có mật khẩu hoặc tệp Excel 97-2003; hãy lưu thành bảng tính "
    ".xlsx không đặt mật khẩu",
    "xlsx_not_zip": "tệp .xlsx là một tệp nén zip nhưng tệp này không phải",
    "zip_damaged": "tệp nén zip bị hỏng hoặc bị cắt cụt ({detail})",
    "zip_members": "tệp chứa {n:,} tệp con; một bảng tính có tối đa {most:,}",
    "zip_too_big": "tệp giải nén ra hơn {size}; chỉ đọc bảng tính giải nén tối đa {size}",
    "zip_bomb": "{member} giải nén ra gấp {ratio:,} lần kích thước (nghi 'zip bomb'); chỉ đọc "
    "tối đa gấp {most} lần",
    "zip_encrypted": "{member} bị mã hóa; hãy lưu bảng tính không đặt mật khẩu",
    "zip_method": "{member} dùng phương thức nén zip {method}; cần deflate (như Excel ghi)",
    "xml_dtd": "{member} khai báo DTD hoặc entity (<!DOCTYPE hoặc <!ENTITY), điều bảng tính "
    "không bao giờ có; bị từ chối vì không an toàn",
    "member_damaged": "{member} bị hỏng ({detail})",
    "xml_encoding": "{member!r} khai báo bảng mã XML {encoding!r}; XML của bảng tính là UTF-8",
    "no_sheet": "bảng tính không có trang nào",
    "sheet_too_many_rows": "trang {sheet!r} có hơn {most:,} hàng",
    "part_damaged": "một phần của tệp bị hỏng ({error}: {detail})",
    "no_such_sheet": "--sheet {sheet!r}: bảng tính không có trang này; {hint}các trang là {sheets}",
    "several_unit_sheets": "nhiều trang chứa danh sách đơn vị ({sheets}); hãy chọn một trang "
    "bằng --sheet TÊN",
    "no_units_sheet": "không trang nào có hàng tiêu đề gồm các cột id, kind và name ({sheets}); "
    "hãy thêm hàng đó phía trên danh sách đơn vị, hoặc chọn trang bằng --sheet TÊN",
    "summary_bad_date": "ngày của mô hình (tại ngày) phải là ngày dạng YYYY-MM-DD, nhận được "
    "{value}",
    "row_too_long": 'hàng {row} dài hơn {most:,} ký tự{at}; có dấu ngoặc kép (") nào chưa '
    "đóng không?",
    "at_file_line": " (dòng {line} của tệp)",
    "seen_commas": "dấu phẩy (,), {n} lần trong hàng",
    "seen_semicolons": "dấu chấm phẩy (;), {n} lần trong hàng",
    "seen_tabs": "dấu tab, {n} lần trong hàng",
    "seen_bars": "dấu gạch đứng (|), {n} lần trong hàng",
    "seen_nothing": "không có gì (hàng không có dấu phẩy, chấm phẩy hay tab)",
    "sep_comma": "dấu phẩy",
    "sep_semicolon": "dấu chấm phẩy",
    "sep_tab": "dấu tab",
    "sep_bar": "dấu gạch đứng",
    "bad_utf16": "tệp bắt đầu bằng dấu thứ tự byte UTF-16 nhưng byte {byte} không phải UTF-16; "
    "hãy lưu bảng dạng CSV UTF-8",
    "header_unreadable": "không đọc được hàng tiêu đề: không có tên cột nào orgmodel đọc được "
    "(id, kind, name, …); các ô dường như được ngăn cách bởi {seen}; cần các tên cột ngăn cách "
    "bằng dấu phẩy (,) hoặc dấu chấm phẩy (;), như Excel lưu CSV",
    "csv_nul": "tệp chứa byte NUL; bảng CSV là văn bản thuần (đây có phải bảng tính hoặc tệp "
    "UTF-16 bị đổi tên thành .csv? hãy lưu dạng CSV UTF-8)",
    "cell_too_long": 'một ô dài hơn {most:,} ký tự; có dấu ngoặc kép (") nào chưa đóng không?',
    "quote_open": 'tệp kết thúc bên trong một ô có ngoặc kép; một dấu ngoặc kép (") chưa đóng',
    "quote_not_at_separator": '{detail}: ô có ngoặc kép phải kết thúc tại {sep} (ghi "" cho '
    "một dấu ngoặc kép)",
    "csv_error": "{detail}",
    "csv_problem": "{reason}{at}",
    "table_too_many_rows": "bảng có hơn {most:,} hàng",
    "no_header_row": "bảng không có hàng tiêu đề; cần hàng đầu tiên ghi tên các cột: {columns}",
    "unknown_column": "cột không hợp lệ {header} ({column}); có phải là {near!r}? hãy đổi tên "
    "cột (chỉ cột có tiêu đề không gần giống cột của orgmodel mới được bỏ qua như cột ghi chú)",
    "column_twice": "cột {field!r} xuất hiện hai lần, ở {first} và {second}; chỉ giữ một",
    "missing_column_in_sheet": "thiếu cột {column!r} trong trang {sheet!r}; hàng tiêu đề phải "
    "ghi tên các cột, ít nhất id, kind và name (tiếng Việt: {vi_names})",
    "missing_column": "thiếu cột {column!r}; hàng tiêu đề phải ghi tên các cột, ít nhất id, kind "
    "và name (tiếng Việt: {vi_names})",
    "grouped_number": "; hãy ghi không có dấu phân cách ({plain}): {text!r} có thể là {plain} "
    "hoặc một số thập phân, mà số lượng là số nguyên",
    "cell_not_whole": "{field!r} phải là số nguyên, nhận được {value} ({column}){hint}",
    "table_path_empty": "chưa chỉ định tệp (đường dẫn rỗng); {expected}",
    "row_no_id": "hàng không có mã đơn vị (id) ({column} để trống)",
    "duplicate_row_id": "mã đơn vị {id} bị trùng (đã có ở hàng {first})",
    "unknown_parent_row": "đơn vị {id} có cấp trên không tồn tại {parent} ({column}); {hint}cấp "
    "trên phải là mã của một hàng",
    "table_invalid": "{detail}",
    "parent_cycle_rows": "quan hệ cấp trên tạo thành vòng lặp: {ids} (hàng {rows}); một đơn vị "
    "không thể là cấp trên của chính nó",
    "cell_empty": "{field!r} để trống; đơn vị nào cũng cần",
    "cell_invalid": "{detail}",
    "cell_not_one_of": "{field} {value} không thuộc: {choices}{hint}",
    "did_you_mean_cell": "; có phải là {word!r}?",
    "cell_value_invalid": "{detail}, nhận được {value}",
    "output_format": "{command} ghi bảng tính Excel (.xlsx) hoặc bảng CSV (.csv), nhưng {ends}; "
    "hãy đặt tên tệp .xlsx hoặc .csv",
    # the command line
    "synth_units": "số đơn vị phải từ {least:,} đến {most:,}",
    "needs_pandas": "to_frame() cần pandas, một gói bổ sung tùy chọn: pip install '{extra}'",
    "needs_openpyxl": "tệp Excel cần openpyxl, một gói bổ sung tùy chọn: pip install '{extra}'",
    "plan_given_for_model": "tệp này có vẻ là một phương án (có `steps:`); lệnh `{command}` cần "
    "một mô hình (có `units:`)",
    "model_given_for_plan": "tệp này có vẻ là một mô hình (có `units:`); lệnh `{command}` cần "
    "một phương án (có `steps:`)",
    "model_plan_exchanged": "mô hình và phương án bị đặt ngược: lệnh `simulate` nhận mô hình "
    "trước, rồi đến phương án (orgmodel simulate ORG PLAN)",
    "combined_needs_plan": "--combined cần --plan: phương án mà các lượt điều động được ghi "
    "tiếp theo sau",
    "explain_no_unit": "--explain: mô hình không có đơn vị {id!r}; {hint}hãy ghi mã của một đơn vị",
    # split (issue 12)
    "parts_not_split": "chỉ bước split mới có các phần (parts)",
    "split_fields": "bước split ghi các trường cho từng phần trong 'into', không ghi cho bước",
    "split_part_needs_id": "mỗi phần của bước split cần 'id'",
    "split_share_invalid": "'share' (tỷ lệ) phải là số lớn hơn 0 và không quá 1, nhận được {got}",
    "split_part_fields_id": "mã của một phần chỉ ghi một lần, ở 'id', không ghi trong các trường",
    "split_part_count": "một phần của bước split không nhận {key!r}: tỷ lệ (share) chia biên chế "
    "công chức và viên chức, còn lãnh đạo chuyển về đơn vị kế thừa",
    "split_no_parts": "bước split cần ít nhất một phần trong 'into'",
    "split_part_twice": "phần {id!r} được liệt kê hai lần trong 'into'",
    "split_shares_mixed": "hoặc mọi phần đều ghi 'share', hoặc không phần nào ghi (khi đó chia "
    "đều); có {given} trên {n} phần ghi",
    "split_shares_sum": "tổng các tỷ lệ là {total}, không phải 1",
    "split_child_twice": "đơn vị cấp dưới {id!r} được giao cho nhiều hơn một phần",
    "split_successor_not_part": "đơn vị kế thừa {id!r} không phải là một trong các phần ({parts})",
    "split_into_not_list": "'into' của bước split nhận danh sách các phần, ví dụ "
    "'- {{id: new-a, share: 0.5}}', nhận được {got}",
    "split_part_not_mapping": "mỗi phần của bước split là một ánh xạ, ví dụ "
    "'{{id: new-a, share: 0.5}}', nhận được {got}",
    "split_children_not_list": "'children' của một phần phải là danh sách mã đơn vị, nhận được "
    "{got}",
    "each_child": "mỗi đơn vị cấp dưới",
    "split_part_inside": "phần {part!r} nằm trong đơn vị bị chia, tách {id!r}; một phần là đơn vị "
    "mới hoặc đơn vị hiện có nằm ngoài đơn vị đó",
    "split_existing_fields": "phần {part!r} là đơn vị hiện có: chỉ nhận 'id', 'share' và "
    "'children', không nhận {keys}",
    "split_not_child": "{child!r} không phải là đơn vị cấp dưới trực tiếp của đơn vị bị chia, tách "
    "{id!r}",
    "split_parent_inside": "cấp trên {parent!r} của phần {part!r} là đơn vị bị chia, tách hoặc nằm "
    "trong đơn vị đó",
    # rebalance (issue 13)
    "transfer_fields": "bước transfer (điều động) chỉ nhận 'deputies' và 'civil_servants', không "
    "nhận {keys}",
    "transfer_itself": "không thể điều động cán bộ từ {id!r} sang chính nó",
    "transfer_negative": "{field} của bước transfer phải từ 0 trở lên, nhận được {got}",
    "transfer_nothing": "bước transfer điều động ít nhất một cấp phó hoặc một biên chế công chức; "
    "hãy ghi 'deputies' hoặc 'civil_servants' lớn hơn 0",
    "transfer_posts_fewer": "điều động {deputies:,} cấp phó thì chuyển ít nhất {deputies:,} biên "
    "chế công chức của họ (biên chế của người được điều động đi theo họ), nhận được "
    "civil_servants: {civil_servants:,}",
    "transfer_deputies_exceed": "{id!r} có {held:,} cấp phó; không thể điều động {n:,}",
    "transfer_civil_servants_exceed": "{id!r} có {held:,} biên chế công chức; không thể chuyển "
    "{m:,}",
}


class _MsgFormatter(MsgFormatter):
    """Fills a template in a language: nested messages rendered in it, figures (``{n:,}``) with
    its separators, dates as its people write them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, list):
            return super().format_field(value, format_spec)
        if isinstance(value, Msg):
            return message_text(value, self.lang)
        if format_spec == "," and isinstance(value, (int, float)) and not isinstance(value, bool):
            return number(value, self.lang)
        if isinstance(value, dt.date):
            return day_text(value, self.lang)
        return format(value, format_spec)


def message_text(message: str, lang: str | None = None) -> str:
    """A message in `lang` (default: the current language): a `Msg` from its code and params
    (`ERRORS_VI`), a plain text as it is."""
    lang = lang or _LANG.get()
    if not isinstance(message, Msg):
        return str(message)
    if lang == "en":
        return str.__str__(message)
    if message.code in ("field", "field_bare"):
        name = str(message.params["name"])
        label = FIELD_LABELS.get(name, (name, ""))[1]
        if message.code == "field_bare":
            return label or name
        return f"{label} {name!r}" if label else repr(name)
    template = ERRORS_VI.get(message.code, message.template)
    text = _MsgFormatter(lang).vformat(template, (), message.params)
    if message.context is not None:
        text = f"{message_text(message.context, lang)}: {text}"
    return text


def error_text(message: str) -> str:
    """An error message in the current language: a `Msg` rendered from its code and params
    (`ERRORS_VI`). A plain text (an error a program built with its own words) is shown as it
    is; a third-party library's words (a YAML parser's detail, an OS reason) travel inside a
    `Msg` as a param and are quoted as they are."""
    return message_text(message, _LANG.get())
