"""Evaluate Terraform expressions offline, from python-hcl2's parse tree.

The chart tests must render what `terraform apply` would send to Helm, so the values of
each `helm_release` are computed from the stack's own `locals` and `variable` defaults
instead of being copied into the tests. Terraform itself cannot evaluate this stack here
(its helm and kubernetes providers are not in the offline mirror), so this module walks
the Lark tree that `hcl2.parses_to_tree` returns and implements the part of the
language the stack uses: literals, templates, operators, conditionals, `for`
expressions, splats, references (`var.`, `local.`, `data.`, `path.`, and the configured
arguments of the stack's own resources, such as a namespace's `metadata[0].name`), the
functions in ``FUNCTIONS`` and the file functions (``file``, ``fileset``,
``templatefile``) that read the stack's folder. Anything else raises ``EvalError`` naming the construct, so a new
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


def _yamldecode(text: str) -> t.Any:
    if not isinstance(text, str):
        raise EvalError(f"yamldecode() takes a string, got {type(text).__name__}")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise EvalError(f"yamldecode(): {exc}") from exc


def _trimsuffix(text: str, suffix: str) -> str:
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


FUNCTIONS: dict[str, t.Callable[..., t.Any]] = {
    "yamlencode": _yamlencode,
    "yamldecode": _yamldecode,
    "jsondecode": json.loads,
    "trimsuffix": _trimsuffix,
    "trimprefix": lambda text, prefix: text[len(prefix):] if text.startswith(prefix) else text,
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
    # "<type>.<name>" -> the stack's resource block: its configured arguments are known
    # before apply (a namespace's metadata[0].name), its computed attributes are not.
    resources: dict[str, Block] = field(default_factory=dict)
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
                      {**self.names, **names}, self.resources)
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
    elif attrs and f"{root}.{attrs[0]}" in scope.resources:
        value, rest = _configured(scope.resources[f"{root}.{attrs[0]}"], scope), attrs[1:]
    else:
        raise EvalError(f"reference {'.'.join([root, *attrs])} is not supported offline")
    for attr in rest:
        value = _get_attr(value, attr, f"{root}.{'.'.join(attrs)}")
    return value


def _configured(block: Block, scope: Scope) -> dict[str, t.Any]:
    """A resource's configured arguments as Terraform exposes them: nested blocks are
    lists of objects. Computed attributes (uid, id) are absent, so reading one fails
    with the attribute's name instead of inventing a value."""
    address = ".".join(block.labels)
    if "count" in block.attributes or "for_each" in block.attributes:
        raise EvalError(f"{address} uses count/for_each: index it explicitly (not supported offline)")
    value: dict[str, t.Any] = {}
    for key, expr in block.attributes.items():
        if key in ("depends_on", "lifecycle", "provider"):
            continue
        value[key] = evaluate(expr, scope)
    for nested in block.blocks:
        value.setdefault(nested.kind, []).append(_configured_nested(nested, scope))
    return value


def _configured_nested(block: Block, scope: Scope) -> dict[str, t.Any]:
    value: dict[str, t.Any] = {k: evaluate(e, scope) for k, e in block.attributes.items()}
    for nested in block.blocks:
        value.setdefault(nested.kind, []).append(_configured_nested(nested, scope))
    return value


# --- file functions -----------------------------------------------------------------


def _module_file(scope: Scope, path: str, function: str) -> Path:
    target = Path(path)
    if not target.is_absolute():
        target = Path(scope.module_path) / target
    if not target.is_file():
        raise EvalError(f"{function}({path!r}): no such file")
    return target


def _file(scope: Scope, path: str) -> str:
    return _module_file(scope, path, "file").read_text(encoding="utf-8")


def _fileset(scope: Scope, path: str, pattern: str) -> list[str]:
    # Terraform's fileset: files only (no directories), paths relative to `path` with
    # forward slashes, sorted; `**` crosses folders as pathlib's glob does.
    base = Path(path) if Path(path).is_absolute() else Path(scope.module_path) / path
    return sorted(p.relative_to(base).as_posix() for p in base.glob(pattern) if p.is_file())


def _templatefile(scope: Scope, path: str, variables: dict[str, t.Any]) -> str:
    """Terraform's template language: `${expr}` over the given variables only, `$${`
    and `%%{` escapes. Directives (`%{if}`, `%{for}`) raise EvalError."""
    if not isinstance(variables, dict):
        raise EvalError(f"templatefile({path!r}): variables must be a map")
    text = _module_file(scope, path, "templatefile").read_text(encoding="utf-8")
    inner = Scope({}, module_path=scope.module_path, names=dict(variables))
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$${", i) or text.startswith("%%{", i):
            out.append(text[i + 1: i + 3])
            i += 3
        elif text.startswith("%{", i):
            raise EvalError(f"templatefile({path!r}): template directives (%{{...}}) are not "
                            "supported in tests/charts/hcl_eval.py")
        elif text.startswith("${", i):
            end = _interpolation_end(text, i + 2, path)
            expr = text[i + 2: end].strip().strip("~").strip()
            tree = hcl2.parses_to_tree(f"x = {expr}\n")
            (body,) = [c for c in tree.children if isinstance(c, Tree)]
            (attribute,) = [c for c in body.children
                            if isinstance(c, Tree) and c.data == "attribute"]
            value = evaluate([c for c in attribute.children if isinstance(c, Tree)][-1], inner)
            if value is None:
                raise EvalError(f"templatefile({path!r}): ${{{expr}}} is null")
            out.append(_tostring(value))
            i = end + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _interpolation_end(text: str, start: int, path: str) -> int:
    depth, i, quoted = 1, start, False
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise EvalError(f"templatefile({path!r}): unterminated ${{ at offset {start - 2}")


SCOPED_FUNCTIONS: dict[str, t.Callable[..., t.Any]] = {
    "file": _file,
    "fileset": _fileset,
    "templatefile": _templatefile,
}


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
    if name in SCOPED_FUNCTIONS:
        scoped = [evaluate(a, scope) for a in arg_nodes]
        return SCOPED_FUNCTIONS[name](scope, *scoped)
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
