"""The per-model read types of `types.py`: where, order, include and aggregate inputs/outputs."""

from __future__ import annotations

from orm.generator.dmmf import Model, ModelField
from orm.generator.ir.inputs import input_type, is_relation, is_scalar
from orm.generator.ir.nodes import AliasDef, DictKey, TypeDef
from orm.generator.ir.scalars import NUMBER_TYPES, OUTPUT_TYPES, typed_dict

__all__ = ["aggregate_types", "include_types", "output_type", "where_types"]


def output_type(field: ModelField) -> str:
    """The Python type a model (or a group_by row) holds for one value of a scalar field."""
    if field.kind == "enum":
        return f"enums.{field.type}"
    return OUTPUT_TYPES[field.type]


def _filter_name(field: ModelField) -> str:
    return f"{field.type}Filter"


def _where_value(field: ModelField) -> str:
    if is_relation(field):
        if field.is_list:
            return f"{field.type}ListRelationFilter"
        typ = f"{field.type}RelationFilter | {field.type}WhereInput"
        return typ if field.is_required else f"{typ} | None"
    if field.is_list:
        return f"{field.type}ListFilter"
    typ = f"{input_type(field)} | {_filter_name(field)}"
    return typ if field.is_required else f"{typ} | None"


def _having_value(field: ModelField) -> str:
    if field.is_list:
        return f"{field.type}ListFilter"
    if field.kind == "enum":
        return f"{input_type(field)} | {_filter_name(field)}"
    return f"{input_type(field)} | {field.type}WithAggregatesFilter"


def _order_value(field: ModelField) -> str:
    """Like Prisma, only a nullable field takes `{"sort": ..., "nulls": "first" | "last"}`."""
    return "SortOrder" if field.is_required else "SortOrder | SortOrderInput"


def _logic(name: str) -> list[DictKey]:
    return [
        DictKey("AND", f"{name} | list[{name}]"),
        DictKey("OR", f"list[{name}]"),
        DictKey("NOT", f"{name} | list[{name}]"),
    ]


def _relation_order_value(field: ModelField) -> str:
    return "OrderByRelationAggregateInput" if field.is_list else f"{field.type}OrderByInput"


def _order_types(model: Model) -> list[TypeDef]:
    """One single-key dict per way to order: a scalar field, a relation (a to-one relation's
    own order, a to-many relation's `_count`), `_relevance` over String fields."""
    m = model.name
    parts: list[TypeDef] = [
        typed_dict(f"_{m}_{f.name}_OrderByInput", [DictKey(f.name, _order_value(f))], total=True)
        for f in model.fields
        if is_scalar(f) and not f.is_list
    ]
    parts += [
        typed_dict(
            f"_{m}_{f.name}_OrderByInput", [DictKey(f.name, _relation_order_value(f))], total=True
        )
        for f in model.fields
        if is_relation(f)
    ]
    texts = [f.name for f in model.fields if is_scalar(f) and f.type == "String" and not f.is_list]
    if texts:
        fields = _literal(texts)
        relevance = [
            DictKey("fields", f"{fields} | list[{fields}]"),
            DictKey("search", "str"),
            DictKey("sort", "SortOrder"),
        ]
        parts.append(typed_dict(f"{m}OrderByRelevanceInput", relevance, total=True))
        parts.append(
            typed_dict(
                f"_{m}__relevance_OrderByInput",
                [DictKey("_relevance", f"{m}OrderByRelevanceInput")],
                total=True,
            )
        )
    return parts


def where_types(model: Model) -> list[TypeDef]:
    m = model.name
    where = f"{m}WhereInput"
    having = f"{m}ScalarWhereWithAggregatesInput"
    queryable = [f for f in model.fields if is_scalar(f) or is_relation(f)]
    scalars = [f for f in model.fields if is_scalar(f)]
    order_parts = _order_types(model)
    return [
        typed_dict(
            where,
            [*(DictKey(f.name, _where_value(f)) for f in queryable), *_logic(where)],
            doc=f"Conditions a {m} record must meet.",
        ),
        typed_dict(
            having, [*(DictKey(f.name, _having_value(f)) for f in scalars), *_logic(having)]
        ),
        typed_dict(
            f"{m}RelationFilter",
            [DictKey("is", f"{where} | None"), DictKey("is_not", f"{where} | None")],
        ),
        typed_dict(
            f"{m}ListRelationFilter", [DictKey(k, where) for k in ("some", "every", "none")]
        ),
        *order_parts,
        AliasDef(
            f"{m}OrderByInput",
            " | ".join(p.name for p in order_parts if p.name.endswith("_OrderByInput")),
        ),
    ]


def include_types(model: Model) -> list[TypeDef]:
    """`<Model>Include`, `<Model>Select`, the arguments a relation to this model takes inside
    them, relation `_count` inputs and output, and the JSON output mode's select."""
    m = model.name
    relations = [f for f in model.fields if is_relation(f)]
    many = [f for f in relations if f.is_list]
    count = [DictKey("_count", f"bool | {m}CountArgs")] if many else []
    include = [
        *(DictKey(f.name, f"bool | {_relation_args(f)}") for f in relations),
        *count,
    ]
    select = [
        *(DictKey(f.name, "bool") for f in model.fields if is_scalar(f)),
        *(DictKey(f.name, f"bool | {_relation_args(f)}") for f in relations),
        *count,
    ]
    json_select = [
        *(DictKey(f.name, "bool | str") for f in model.fields if is_scalar(f)),
        *(DictKey(f.name, f"bool | {_relation_args(f, 'Json')}") for f in relations),
        *count,
    ]
    return [
        typed_dict(f"{m}Include", include, doc=f"Relations to load with each {m}."),
        typed_dict(f"{m}Select", select, doc=f"The fields of each {m} to return."),
        typed_dict(
            f"{m}JsonSelect",
            json_select,
            doc=f"The fields of each {m} in `find_many_json` output; a string renames the key.",
        ),
        typed_dict(
            f"{m}Args", [DictKey("include", f"{m}Include"), DictKey("select", f"{m}Select")]
        ),
        typed_dict(
            f"{m}JsonArgs",
            [
                DictKey("include", f"{m}Include"),
                DictKey("select", f"{m}JsonSelect"),
                DictKey("as", "str"),
            ],
        ),
        typed_dict(f"FindMany{m}Args", [*_page_keys(m), DictKey("select", f"{m}Select")]),
        typed_dict(
            f"FindMany{m}JsonArgs",
            [*_page_keys(m), DictKey("select", f"{m}JsonSelect"), DictKey("as", "str")],
        ),
        typed_dict(f"Count{m}Args", [DictKey("where", f"{m}WhereInput")]),
        *_count_types(m, many),
    ]


def _relation_args(field: ModelField, kind: str = "") -> str:
    return f"FindMany{field.type}{kind}Args" if field.is_list else f"{field.type}{kind}Args"


def _page_keys(m: str) -> list[DictKey]:
    order = f"{m}OrderByInput"
    return [
        DictKey("take", "int"),
        DictKey("skip", "int"),
        DictKey("cursor", f"{m}WhereUniqueInput"),
        DictKey("order_by", f"{order} | list[{order}]"),
        DictKey("where", f"{m}WhereInput"),
        DictKey("include", f"{m}Include"),
        DictKey("distinct", f"list[{m}ScalarFieldKeys]"),
    ]


def _count_types(m: str, many: list[ModelField]) -> list[TypeDef]:
    """`{"_count": {"select": {"posts": True}}}` and the `count_` it fills in: `{"posts": 3}`."""
    if not many:
        return []
    return [
        typed_dict(f"{m}CountSelect", [DictKey(f.name, f"bool | Count{f.type}Args") for f in many]),
        typed_dict(f"{m}CountArgs", [DictKey("select", f"{m}CountSelect")]),
        typed_dict(
            f"{m}RelationCount",
            [DictKey(f.name, "int") for f in many],
            doc=f"Counts of a {m}'s related records, one per relation `_count` selected.",
        ),
    ]


def _literal(names: list[str]) -> str:
    return "Literal[" + ", ".join(f'"{n}"' for n in names) + "]"


def _value_output(field: ModelField) -> str:
    typ = output_type(field)
    typ = f"list[{typ}]" if field.is_list else typ
    return typ if field.is_required else f"{typ} | None"


def aggregate_types(model: Model) -> list[TypeDef]:
    m = model.name
    scalars = [f for f in model.fields if is_scalar(f)]
    numbers = [f for f in scalars if f.type in NUMBER_TYPES and not f.is_list]
    return [
        typed_dict(
            f"{m}ScalarAggregateOutput", [DictKey(f.name, _value_output(f)) for f in scalars]
        ),
        AliasDef(f"{m}MinAggregateOutput", f"{m}ScalarAggregateOutput"),
        AliasDef(f"{m}MaxAggregateOutput", f"{m}ScalarAggregateOutput"),
        typed_dict(f"{m}AvgAggregateOutput", [DictKey(f.name, "float") for f in numbers]),
        typed_dict(f"{m}SumAggregateOutput", [DictKey(f.name, output_type(f)) for f in numbers]),
        typed_dict(
            f"{m}CountAggregateInput",
            [*(DictKey(f.name, "bool") for f in scalars), DictKey("_all", "bool")],
        ),
        typed_dict(
            f"{m}CountAggregateOutput",
            [*(DictKey(f.name, "int") for f in scalars), DictKey("_all", "int")],
        ),
        typed_dict(f"{m}MinAggregateInput", [DictKey(f.name, "bool") for f in scalars]),
        typed_dict(f"{m}MaxAggregateInput", [DictKey(f.name, "bool") for f in scalars]),
        typed_dict(f"{m}NumberAggregateInput", [DictKey(f.name, "bool") for f in numbers]),
        AliasDef(f"{m}AvgAggregateInput", f"{m}NumberAggregateInput"),
        AliasDef(f"{m}SumAggregateInput", f"{m}NumberAggregateInput"),
        _group_by_output(m, scalars),
        _aggregate_output(m),
        typed_dict(
            f"{m}Omit",
            [DictKey(f.name, "bool") for f in scalars],
            doc=f"Fields to leave out of {m} results (True), or bring back (False).",
        ),
        *_key_literals(model),
    ]


def _group_by_output(m: str, scalars: list[ModelField]) -> TypeDef:
    keys = [DictKey(f.name, _value_output(f)) for f in scalars]
    keys += [
        DictKey(f"_{agg}", f"{m}{agg.title()}AggregateOutput")
        for agg in ("sum", "avg", "min", "max", "count")
    ]
    return typed_dict(f"{m}GroupByOutput", keys, doc=f"One row of `{m}` group_by.")


def _aggregate_output(m: str) -> TypeDef:
    keys = [
        DictKey(f"_{agg}", f"{m}{agg.title()}AggregateOutput")
        for agg in ("sum", "avg", "min", "max", "count")
    ]
    return typed_dict(f"{m}AggregateOutput", keys, doc=f"What `{m}` aggregate() returns.")


def _key_literals(model: Model) -> list[TypeDef]:
    m = model.name
    every = [f.name for f in model.fields if is_scalar(f) or is_relation(f)]
    scalars = [f.name for f in model.fields if is_scalar(f)]
    relations = [f.name for f in model.fields if is_relation(f)]
    out: list[TypeDef] = [
        AliasDef(f"{m}Keys", _literal(every)),
        AliasDef(f"{m}ScalarFieldKeys", _literal(scalars)),
    ]
    if relations:
        out.append(AliasDef(f"{m}RelationalFieldKeys", _literal(relations)))
    return out
