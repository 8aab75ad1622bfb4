"""JSON Schemas of the two file formats, for editors (YAML language servers validate and
complete as you type). Built from the same constants the loaders use, so they cannot drift."""

from __future__ import annotations

from typing import Any

from ._load import FORMAT, UNIT_KEYS
from ._model import Kind, Level, ProvinceClass
from ._plan import PART_FIELDS, PLAN_FORMAT, STEP_KEYS, UNIT_FIELDS

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_FIELD_SCHEMA: dict[str, dict[str, Any]] = {
    "id": {"type": ["string", "integer"], "description": "unique in the file"},
    "kind": {"enum": [k.value for k in Kind], "description": "the kind of unit"},
    "name": {"type": "string", "minLength": 1},
    "parent": {"type": ["string", "integer"], "description": "the id of the parent unit"},
    "level": {"enum": [v.value for v in Level], "description": "level of a People's Committee"},
    "class": {
        "enum": [c.value for c in ProvinceClass],
        "description": "province class, inherited by descendants",
    },
    "civil_servants": {
        "type": "integer",
        "minimum": 0,
        "description": "the unit's own civil-servant posts, leaders included",
    },
    "deputies": {"type": "integer", "minimum": 0, "description": "deputy-head posts held"},
    "head": {"enum": [0, 1], "description": "1 when the head post is held"},
    "public_employees": {"type": "integer", "minimum": 0},
    "functions": {"type": "array", "items": {"type": "string"}},
    "name_en": {"type": "string"},
    "note": {"type": "string"},
    "provinces_merged": {
        "type": "integer",
        "minimum": 1,
        "description": "on a provincial People's Committee: how many provinces were merged "
        "to form it (default 1)",
    },
    "reorganized": {
        "type": "string",
        "format": "date",
        "pattern": r"^\d{4}-\d{2}-\d{2}$",
        "description": "when the reorganization that gave the unit its shape took effect",
    },
}
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def org_schema() -> dict[str, Any]:
    unit_props = {k: _FIELD_SCHEMA[k] for k in UNIT_KEYS if k != "children"}
    unit_props["children"] = {"type": "array", "items": {"$ref": "#/$defs/unit"}}
    return {
        "$schema": DRAFT,
        "title": f"orgmodel org file ({FORMAT})",
        "type": "object",
        "required": ["format", "units"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "name": {"type": "string"},
            "as_of": _DATE,
            "note": {"type": "string"},
            "units": {"type": "array", "items": {"$ref": "#/$defs/unit"}},
        },
        "$defs": {
            "unit": {
                "type": "object",
                "required": ["id", "kind", "name"],
                "additionalProperties": False,
                "properties": unit_props,
                "if": {"properties": {"kind": {"const": "peoples_committee"}}},
                "then": {"required": ["level"]},
            }
        },
    }


def plan_schema() -> dict[str, Any]:
    fields = {k: _FIELD_SCHEMA[k] for k in UNIT_FIELDS}
    ref = {"type": ["string", "integer"]}

    def step(
        op: str, value: dict[str, Any], extra: dict[str, Any], required: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        props = {op: value, **extra, "note": {"type": "string"}}
        return {
            "type": "object",
            "required": [op, *required],
            "additionalProperties": False,
            "properties": props,
        }

    unit_fields = {"type": "object", "additionalProperties": False, "properties": fields}
    set_props = {k: (_FIELD_SCHEMA[k]) for k in STEP_KEYS["set"]}
    steps = [
        step("merge", {"type": "array", "items": ref, "minItems": 2}, {"into": unit_fields}),
        step("absorb", ref, {"into": ref}, ("into",)),
        step("dissolve", ref, {"staff_to": ref}),
        step("move", ref, {"to": ref}, ("to",)),
        step(
            "rename",
            ref,
            {"name": _FIELD_SCHEMA["name"], "name_en": _FIELD_SCHEMA["name_en"]},
            ("name",),
        ),
        step("set", ref, set_props),
        step("create", {**unit_fields, "required": ["id", "kind", "name"]}, {}),
        step(
            "transfer",
            {**ref, "description": "điều động: the unit the people leave"},
            {
                "to": {**ref, "description": "the unit they join (of the same kind and level)"},
                "deputies": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "deputy heads who move; they fill a vacant head post first",
                },
                "civil_servants": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "civil-servant posts that move, the movers' own included "
                    "(default: deputies)",
                },
            },
            ("to",),
        ),
        step(
            "split",
            ref,
            {
                "into": {
                    "type": "array",
                    "minItems": 1,
                    "description": "the parts: new units (an id no unit has, or the split "
                    "unit's own) or existing ones; every part states 'share' or none does",
                    "items": {
                        "type": "object",
                        "required": ["id"],
                        "additionalProperties": False,
                        "properties": {
                            "id": _FIELD_SCHEMA["id"],
                            "share": {
                                "type": "number",
                                "exclusiveMinimum": 0,
                                "maximum": 1,
                                "description": "its part of the civil servants and public "
                                "employees; the shares add up to 1",
                            },
                            "children": {
                                "type": "array",
                                "items": ref,
                                "description": "direct children of the split unit it receives",
                            },
                            **{k: _FIELD_SCHEMA[k] for k in PART_FIELDS},
                        },
                    },
                },
                "successor": {
                    **ref,
                    "description": "the part that takes the leaders and the other children "
                    "(default: the first)",
                },
            },
            ("into",),
        ),
    ]
    return {
        "$schema": DRAFT,
        "title": f"orgmodel plan file ({PLAN_FORMAT})",
        "type": "object",
        "required": ["format", "steps"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": PLAN_FORMAT},
            "name": {"type": "string"},
            "effective": _DATE,
            "note": {"type": "string"},
            "steps": {"type": "array", "items": {"oneOf": steps}},
        },
    }
