"""Evaluate Terraform expressions offline, from python-hcl2's parse tree.

The chart tests must render what `terraform apply` would send to Helm, so the values of
each `helm_release` are computed from the stack's own `locals` and `variable` defaults
instead of being copied into the tests. Terraform itself cannot evaluate this stack here
(its helm and kubernetes providers are not in the offline mirror), so this module walks
the Lark tree that `hcl2.parses_to_tree` returns and implements the part of the
language the stack uses: literals, templates, operators, conditionals, `for`
expressions, splats, references (`var.`, `local.`, `data.`, `path.`) and the functions
in ``FUNCTIONS``. Anything else raises ``EvalError`` naming the construct, so a new
expression in the stack fails loudly instead of rendering something Terraform would not.
"""

from __future__ import annotations

import json
import re
import typing as t
from dataclasses import dataclass, field
from pathlib import Path

import hcl2
import yaml
from lark import Token, Tree


class EvalError(Exception):
    """An expression this evaluator cannot compute (or Terraform would reject)."""


# --- functions ----------------------------------------------------------------------


def _yamlencode(value: t.Any) -> str:
    # PyYAML quotes every string that would read back as another type ("True", "80"),
    # as Terraform's yamlencode does; key order does not matter to Helm.
    return yaml.safe_dump(value, sort_keys=True, default_flow_style=False)


def _merge(*maps: t.Any) -> dict[str, t.Any]:
    merged: dict[str, t.Any] = {}
    for item in maps:
        if item is None:
            continue
        if not isinstance(item, dict):
            raise EvalError(f"merge() takes maps, got {item!r}")
        merged.update(item)
    return merged


def _coalesce(*values: t.Any) -> t.Any:
    for value in values:
        if value is not None and value != "":
            return value
    raise EvalError("coalesce(): no non-null, non-empty argument")


def _distinct(items: list[t.Any]) -> list[t.Any]:
    seen: list[t.Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _flatten(items: list[t.Any]) -> list[t.Any]:
    flat: list[t.Any] = []
    for item in items:
        flat.extend(_flatten(item) if isinstance(item, list) else [item])
    return flat


def _regex(pattern: str, text: str) -> t.Any:
    # Terraform uses RE2 syntax; the patterns of this project are in the common subset.
    match = re.search(pattern, text)
    if not match:
        raise EvalError(f"regex({pattern!r}, {text!r}): no match")
    if match.groupdict():
        return match.groupdict()
    return list(match.groups()) if match.groups() else match.group(0)


def _lookup(mapping: dict[str, t.Any], key: str, *default: t.Any) -> t.Any:
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError(f"lookup(): no key {key!r} and no default")


def _tostring(value: t.Any) -> t.Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number_text(value)
    raise EvalError(f"tostring({value!r}): not a primitive")


def _tonumber(value: t.Any) -> t.Any:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise EvalError(f"tonumber({value!r}): not a number") from exc


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


FUNCTIONS: dict[str, t.Callable[..., t.Any]] = {
    "yamlencode": _yamlencode,
    "jsonencode": lambda v: json.dumps(v, separators=(",", ":"), sort_keys=True),
    "join": lambda sep, items: sep.join(_tostring(i) for i in items),
    "split": lambda sep, text: text.split(sep),
    "distinct": _distinct,
    "coalesce": _coalesce,
    "merge": _merge,
    "concat": lambda *lists: [i for items in lists for i in items],
    "flatten": _flatten,
    "lookup": _lookup,
    "contains": lambda items, value: value in items,
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "length": len,
    "regex": _regex,
    "replace": lambda text, old, new: text.replace(old, new),
    "lower": str.lower,
    "upper": str.upper,
    "trimspace": str.strip,
    "startswith": lambda text, prefix: text.startswith(prefix),
    "endswith": lambda text, suffix: text.endswith(suffix),
    "format": lambda fmt, *args: re.sub(r"%[sd]", "{}", fmt).format(*args),
    "tostring": _tostring,
    "tonumber": _tonumber,
    "tobool": lambda v: v if v is None else {"true": True, "false": False}.get(str(v).lower(), v),
    "tolist": list,
    "toset": lambda items: _distinct(sorted(items, key=str)),
    "tomap": dict,
    "max": max,
    "min": min,
    "floor": lambda n: int(n // 1),
    "ceil": lambda n: int(-(-n // 1)),
    "abs": abs,
    "sort": lambda items: sorted(items, key=str),
    "compact": lambda items: [i for i in items if i not in (None, "")],
    "zipmap": lambda k, v: dict(zip(k, v)),
    "element": lambda items, i: items[i % len(items)],
}


# --- evaluation ---------------------------------------------------------------------


@dataclass
class Scope:
    """What references resolve to: variables, locals (lazily), data sources, path."""

    variables: dict[str, t.Any]
    local_exprs: dict[str, Tree] = field(default_factory=dict)
    data: dict[str, t.Any] = field(default_factory=dict)
    module_path: str = "."
    names: dict[str, t.Any] = field(default_factory=dict)  # for-expression variables
    _locals: dict[str, t.Any] = field(default_factory=dict)
    _evaluating: set[str] = field(default_factory=set)

    def local(self, name: str) -> t.Any:
        if name in self._locals:
            return self._locals[name]
        if name not in self.local_exprs:
            raise EvalError(f"local.{name} is not declared in the stack")
        if name in self._evaluating:
            raise EvalError(f"local.{name} refers to itself")
        self._evaluating.add(name)
        try:
            value = evaluate(self.local_exprs[name], self)
        finally:
            self._evaluating.discard(name)
        self._locals[name] = value
        return value

    def child(self, names: dict[str, t.Any]) -> Scope:
        scope = Scope(self.variables, self.local_exprs, self.data, self.module_path,
                      {**self.names, **names})
        scope._locals = self._locals
        scope._evaluating = self._evaluating
        return scope


def _children(tree: Tree) -> list[t.Any]:
    """Children without newlines/comments and punctuation tokens."""
    return [
        c for c in tree.children
        if not (isinstance(c, Tree) and c.data == "new_line_or_comment")
        and not (isinstance(c, Token) and c.type in PUNCTUATION)
    ]


PUNCTUATION = {
    "LPAR", "RPAR", "LBRACE", "RBRACE", "LSQB", "RSQB", "COMMA", "DOT", "EQ", "COLON",
    "DBLQUOTE", "QMARK", "INTERP_START", "FOR", "IN", "IF", "FOR_OBJECT_ARROW",
}


def _name(node: t.Any) -> str:
    if isinstance(node, Token):
        return str(node)
    if isinstance(node, Tree) and node.data in ("identifier", "keyword", "literal_value"):
        return str(node.children[0])
    raise EvalError(f"expected a name, got {node!r}")


def _string(tree: Tree, scope: Scope) -> str:
    parts: list[str] = []
    for part in _children(tree):
        if not isinstance(part, Tree) or part.data != "string_part":
            raise EvalError(f"unexpected string element {part!r}")
        (inner,) = part.children
        if isinstance(inner, Token):
            if inner.type == "ESCAPED_INTERPOLATION":
                parts.append(str(inner)[1:])
            elif inner.type == "ESCAPED_DIRECTIVE":
                parts.append(str(inner)[1:])
            else:
                parts.append(_unescape(str(inner)))
        elif inner.data == "interpolation":
            value = evaluate(_children(inner)[0], scope)
            if value is None:
                raise EvalError("a template interpolates a null value")
            parts.append(_tostring(value))
        else:
            raise EvalError(f"template directive {inner.data} is not supported")
    return "".join(parts)


def _unescape(text: str) -> str:
    return json.loads(f'"{text}"') if "\\" in text else text


def _get_attr(value: t.Any, name: str, where: str) -> t.Any:
    if isinstance(value, dict):
        if name not in value:
            raise EvalError(f"{where}: no attribute {name!r}")
        return value[name]
    raise EvalError(f"{where}: cannot read attribute {name!r} of {type(value).__name__}")


def _index(value: t.Any, key: t.Any, where: str) -> t.Any:
    try:
        if isinstance(value, list):
            return value[int(key)]
        return value[key]
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise EvalError(f"{where}: no element {key!r}") from exc


def _reference(root: str, attrs: list[str], scope: Scope) -> t.Any:
    """var.x / local.x / data.t.n / path.module, with the attributes after them."""
    if root in scope.names:
        value = scope.names[root]
        for attr in attrs:
            value = _get_attr(value, attr, root)
        return value
    if root == "var":
        if not attrs or attrs[0] not in scope.variables:
            raise EvalError(f"var.{attrs[0] if attrs else ''} has no value")
        value, rest = scope.variables[attrs[0]], attrs[1:]
    elif root == "local":
        value, rest = scope.local(attrs[0]), attrs[1:]
    elif root == "data":
        key = ".".join(attrs[:2])
        if key not in scope.data:
            raise EvalError(f"data.{key} has no offline value: give it one in the chart harness")
        value, rest = scope.data[key], attrs[2:]
    elif root == "path" and attrs[:1] == ["module"]:
        value, rest = scope.module_path, attrs[1:]
    else:
        raise EvalError(f"reference {'.'.join([root, *attrs])} is not supported offline")
    for attr in rest:
        value = _get_attr(value, attr, f"{root}.{'.'.join(attrs)}")
    return value


def _flatten_access(tree: Tree) -> tuple[Tree, list[tuple[str, t.Any]]]:
    """Unwind nested get_attr/index terms into a base term and a list of accesses."""
    steps: list[tuple[str, t.Any]] = []
    node = tree
    while True:
        if node.data == "expr_term" and len(_children(node)) == 1 and isinstance(
            _children(node)[0], Tree
        ) and _children(node)[0].data in ("get_attr_expr_term", "index_expr_term"):
            node = _children(node)[0]
        if node.data == "get_attr_expr_term":
            base, attr = _children(node)
            steps.append(("attr", _name(_children(attr)[0])))
            node = base
        elif node.data == "index_expr_term":
            base, index = _children(node)
            steps.append(("index", index))
            node = base
        else:
            break
    steps.reverse()
    return node, steps


def _access(tree: Tree, scope: Scope) -> t.Any:
    base, steps = _flatten_access(tree)
    inner = _children(base)
    if base.data == "expr_term" and len(inner) == 1 and isinstance(inner[0], Tree) \
            and inner[0].data == "identifier":
        root = _name(inner[0])
        attrs: list[str] = []
        while steps and steps[0][0] == "attr":
            attrs.append(steps.pop(0)[1])
        value = _reference(root, attrs, scope)
    else:
        value = evaluate(base, scope)
    for kind, step in steps:
        if kind == "attr":
            value = _get_attr(value, step, "expression")
        elif step.data == "short_index":
            value = _index(value, int(str(_children(step)[-1])), "expression")
        else:
            value = _index(value, evaluate(_children(step)[0], scope), "expression")
    return value


def _binary(left: t.Any, op: str, right: t.Any) -> t.Any:
    ops: dict[str, t.Callable[[t.Any, t.Any], t.Any]] = {
        "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b, ">": lambda a, b: a > b,
        "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
        "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
        "/": lambda a, b: a / b, "%": lambda a, b: a % b,
    }
    if op in ("+", "-", "*", "/", "%", "<", ">", "<=", ">="):
        left, right = _tonumber(left), _tonumber(right)
    return ops[op](left, right)


def _for(tree: Tree, scope: Scope) -> t.Any:
    parts = _children(tree)
    intro = parts[0]
    intro_parts = [p for p in _children(intro)]
    names = [_name(p) for p in intro_parts[:-1]]
    collection = evaluate(intro_parts[-1], scope)
    condition = next((p for p in parts if isinstance(p, Tree) and p.data == "for_cond"), None)
    grouping = any(isinstance(p, Token) and p.type == "ELLIPSIS" for p in parts)
    exprs = [p for p in parts[1:] if isinstance(p, Tree) and p.data != "for_cond"]
    if isinstance(collection, dict):
        pairs = list(collection.items())
    else:
        pairs = list(enumerate(collection))
    tuple_out: list[t.Any] = []
    object_out: dict[str, t.Any] = {}
    for key, item in pairs:
        bound = {names[0]: item} if len(names) == 1 else {names[0]: key, names[1]: item}
        inner = scope.child(bound)
        if condition is not None and not evaluate(_children(condition)[0], inner):
            continue
        if tree.data == "for_tuple_expr":
            tuple_out.append(evaluate(exprs[0], inner))
        else:
            out_key = _tostring(evaluate(exprs[0], inner))
            out_value = evaluate(exprs[1], inner)
            if grouping:
                object_out.setdefault(out_key, []).append(out_value)
            elif out_key in object_out:
                raise EvalError(f"for expression: duplicate key {out_key!r}")
            else:
                object_out[out_key] = out_value
    return tuple_out if tree.data == "for_tuple_expr" else object_out


def _call(tree: Tree, scope: Scope) -> t.Any:
    parts = _children(tree)
    name = _name(parts[0])
    args_tree = next((p for p in parts[1:] if isinstance(p, Tree) and p.data == "arguments"), None)
    arg_nodes = _children(args_tree) if args_tree is not None else []
    expand = bool(arg_nodes) and isinstance(arg_nodes[-1], Token) and arg_nodes[-1].type == "ELLIPSIS"
    arg_nodes = [a for a in arg_nodes if isinstance(a, Tree)]
    if name in ("try", "can"):
        for node in arg_nodes:
            try:
                value = evaluate(node, scope)
            except (EvalError, TypeError, ValueError, KeyError):
                if name == "can":
                    return False
                continue
            return True if name == "can" else value
        if name == "can":
            return False
        raise EvalError("try(): every argument failed")
    if name not in FUNCTIONS:
        raise EvalError(f"function {name}() is not implemented in tests/charts/hcl_eval.py")
    args = [evaluate(a, scope) for a in arg_nodes]
    if expand:
        args = args[:-1] + list(args[-1])
    return FUNCTIONS[name](*args)


def evaluate(tree: t.Any, scope: Scope) -> t.Any:
    """The value of one expression subtree."""
    if isinstance(tree, Token):
        raise EvalError(f"unexpected token {tree!r}")
    kind = tree.data
    parts = _children(tree)
    if kind == "expr_term":
        if len(parts) != 1:
            raise EvalError(f"unexpected term {tree!r}")
        return evaluate(parts[0], scope)
    if kind in ("get_attr_expr_term", "index_expr_term"):
        return _access(Tree("expr_term", [tree]), scope)
    if kind == "identifier":
        return _reference(_name(tree), [], scope)
    if kind == "int_lit":
        return int(str(parts[0]))
    if kind == "float_lit":
        return float(str(parts[0]))
    if kind == "literal_value":
        return {"true": True, "false": False, "null": None}[str(parts[0])]
    if kind == "string":
        return _string(tree, scope)
    if kind == "tuple":
        return [evaluate(p, scope) for p in parts]
    if kind == "object":
        result: dict[str, t.Any] = {}
        for elem in parts:
            key_node, value_node = [p for p in _children(elem) if isinstance(p, Tree)]
            key_inner = _children(key_node)[0]
            key_parts = _children(key_inner) if isinstance(key_inner, Tree) else []
            if isinstance(key_inner, Tree) and key_inner.data == "expr_term" and len(
                key_parts) == 1 and isinstance(key_parts[0], Tree) and key_parts[0].data in (
                    "identifier", "keyword"):
                key = _name(key_parts[0])
            elif isinstance(key_inner, Tree) and key_inner.data == "keyword":
                key = _name(key_inner)
            else:
                key = _tostring(evaluate(key_inner, scope))
            result[key] = evaluate(value_node, scope)
        return result
    if kind == "conditional":
        condition, if_true, if_false = parts
        chosen = evaluate(condition, scope)
        if not isinstance(chosen, bool):
            raise EvalError(f"condition is {chosen!r}, not a bool")
        return evaluate(if_true if chosen else if_false, scope)
    if kind == "binary_op":
        left, term = parts[0], parts[1]
        op_node, right = _children(term)
        op = str(_children(op_node)[0]) if isinstance(op_node, Tree) else str(op_node)
        if op == "&&":
            return bool(evaluate(left, scope)) and bool(evaluate(right, scope))
        if op == "||":
            return bool(evaluate(left, scope)) or bool(evaluate(right, scope))
        return _binary(evaluate(left, scope), op, evaluate(right, scope))
    if kind == "unary_op":
        op, operand = tree.children[0], tree.children[-1]
        value = evaluate(operand, scope)
        return (not value) if str(op) == "!" else -_tonumber(value)
    if kind == "function_call":
        return _call(tree, scope)
    if kind in ("for_tuple_expr", "for_object_expr"):
        return _for(tree, scope)
    if kind == "attr_splat_expr_term":
        base, splat = parts
        items = evaluate(base, scope)
        items = [] if items is None else items if isinstance(items, list) else [items]
        attrs = [_name(_children(a)[0]) for a in _children(splat) if isinstance(a, Tree)]
        out = []
        for item in items:
            for attr in attrs:
                item = _get_attr(item, attr, "splat")
            out.append(item)
        return out
    raise EvalError(f"expression kind {kind!r} is not supported offline")


# --- files --------------------------------------------------------------------------


@dataclass
class Block:
    kind: str
    labels: list[str]
    attributes: dict[str, Tree]
    blocks: list[Block]
    source: Path
    text: str  # the block's source text (for comments next to a pin)


def _blocks(body: Tree, source: Path, text: str) -> list[Block]:
    found: list[Block] = []
    for node in body.children:
        if not isinstance(node, Tree) or node.data != "block":
            continue
        parts = [p for p in node.children if isinstance(p, Tree)]
        head = [p for p in parts if p.data != "body"]
        inner = next(p for p in parts if p.data == "body")
        labels = [_label(p) for p in head]
        attributes: dict[str, Tree] = {}
        for child in inner.children:
            if isinstance(child, Tree) and child.data == "attribute":
                name_node, *_rest = [c for c in child.children if isinstance(c, Tree)]
                attributes[_name(name_node)] = [
                    c for c in child.children if isinstance(c, Tree)
                ][-1]
        start, end = node.meta.start_pos, node.meta.end_pos
        found.append(Block(labels[0], labels[1:], attributes, _blocks(inner, source, text),
                           source, text[start:end]))
    return found


def _label(node: Tree) -> str:
    if node.data == "string":
        return "".join(str(p.children[0]) for p in node.children if isinstance(p, Tree))
    return _name(node)


def load_blocks(folder: Path) -> list[Block]:
    """Every top-level block of every .tf file of a folder, with its expressions."""
    found: list[Block] = []
    for path in sorted(folder.glob("*.tf")):
        text = path.read_text(encoding="utf-8")
        tree = hcl2.parses_to_tree(text)
        (body,) = [c for c in tree.children if isinstance(c, Tree)]
        found.extend(_blocks(body, path, text + "\n"))
    return found


def locals_of(blocks: list[Block]) -> dict[str, Tree]:
    exprs: dict[str, Tree] = {}
    for block in blocks:
        if block.kind == "locals":
            for name, expr in block.attributes.items():
                if name in exprs:
                    raise EvalError(f"local.{name} is declared twice")
                exprs[name] = expr
    return exprs
