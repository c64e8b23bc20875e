"""abi_parse: the constrained C of include/azalea/abi.h, parsed for gen-bindings.py.

The header promises a jextract-friendly subset (see its opening comment).
This understands that subset only, and refuses anything else with the header
line, rather than guess:
  accepted: #ifndef/#define/#endif include guard; #include <stddef.h>, <stdint.h>;
    #define NAME <integer literal, optional U/L/UL/ULL suffix>, or (1 << n) with
    those suffixes; enums whose every constant has an explicit literal value;
    structs of uint8/16/32/64_t, int8/16/32/64_t and char fields, fixed-size
    arrays of them (any number of dimensions, each a literal or an earlier
    #define), fields and arrays of earlier structs; _Static_assert (each one
    this can evaluate is checked against its own layout; the rest are left to
    the C compiler, with a warning).
  refused: pointers, bit fields, unions, typedefs, attributes, other types
    (int, long, size_t, float...), function-like macros, macros defined by
    expressions, octal literals, conditional compilation, implicit enum
    values, flexible arrays, nested struct definitions, duplicate names, and
    names the Java bindings cannot use.
Offsets follow the x86-64 SysV rule: every field at its natural alignment,
structs padded to their largest member's; Struct.members makes each gap an
explicit padding entry.
"""

import ast
import bisect
import operator
import re
import sys
from dataclasses import dataclass, field

# C type -> its size, which is also its alignment on x86-64.
SIZES = {"uint8_t": 1, "int8_t": 1, "char": 1, "uint16_t": 2, "int16_t": 2,
         "uint32_t": 4, "int32_t": 4, "uint64_t": 8, "int64_t": 8}
# The bindings name a method after each field and a class after each struct.
JAVA_KEYWORDS = set("""abstract assert boolean break byte case catch char class const continue
    default do double else enum extends final finally float for goto if implements import
    instanceof int interface long native new package private protected public return short
    static strictfp super switch synchronized this throw throws transient try void volatile
    while true false null var yield record sealed permits""".split())
# Method names every struct class has; a field may not take one.
CLASS_METHODS = {"layout", "asSlice", "sizeof", "allocate", "allocateArray", "reinterpret"}

LITERAL = re.compile(r"(0[xX][0-9a-fA-F]+|[1-9][0-9]*|0)([uU]?[lL]{0,2}|[lL]{1,2}[uU])")
SHIFT = re.compile(r"\(\s*1([uU]?[lL]{0,2}|[lL]{1,2}[uU])\s*<<\s*([0-9]+)\s*\)")
IDENT = re.compile(r"[A-Za-z_]\w*")


class Refused(Exception):
    """The header steps outside the subset: the message names the line and why."""


@dataclass
class Const:
    name: str
    value: int
    wide: bool  # a 64-bit C type (else 32-bit)
    digits: str  # the literal as written, without suffix; None for (1 << shift)
    shift: int = None
    enum: str = None  # the enum it belongs to, None for a #define


@dataclass
class Field:
    name: str
    ctype: str  # "uint32_t" or "struct az_x"
    dims: list  # [(text as written, value)]
    comment: str
    leading: list  # comment lines between the previous field and this one
    offset: int = 0


@dataclass
class Struct:
    name: str
    doc: list  # lines of the comment right above the struct
    fields: list
    members: list = field(default_factory=list)  # Field or int (padding bytes)
    size: int = 0
    align: int = 1


class Header:
    """The parsed header: constants and structs in declaration order."""

    def __init__(self, path, text):
        self.path = path
        self.consts = []
        self.by_name = {}
        self.structs = {}
        self.asserts = []  # (line, expression)
        self.code, self.comments = blank_comments(text, self)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.code)]

    def line(self, pos):
        return bisect.bisect_right(self.line_starts, pos)

    def refuse(self, pos, why):
        raise Refused(f"{self.path}:{self.line(pos)}: {why}")

    def add_const(self, pos, const):
        if const.name in self.by_name:
            self.refuse(pos, f"{const.name} is defined twice")
        self.by_name[const.name] = const
        self.consts.append(const)


def blank_comments(text, header):
    """Returns the text with every comment turned to spaces (newlines kept, so
    positions and line numbers stay), and the comments as (start, end, body)."""
    out = list(text)
    comments = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in "\"'":
            j = i + 1
            while j < n and text[j] != text[i] and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            if j >= n or text[j] != text[i]:
                raise Refused(f"{header.path}:{text.count(chr(10), 0, i) + 1}: unterminated literal")
            i = j + 1
        elif text.startswith("/*", i) or text.startswith("//", i):
            block = text[i + 1] == "*"
            j = text.find("*/", i + 2) if block else text.find("\n", i)
            if j < 0:
                if block:
                    raise Refused(f"{header.path}:{text.count(chr(10), 0, i) + 1}: unterminated comment")
                j = n
            end = j + 2 if block else j
            comments.append((i, end, text[i + 2:j]))
            for k in range(i, end):
                if out[k] != "\n":
                    out[k] = " "
            i = end
        else:
            i += 1
    return "".join(out), comments


def comment_lines(body):
    """A comment's text as lines, without the leading '*' decoration."""
    lines = [re.sub(r"^\*\s?", "", raw.strip()).rstrip() for raw in body.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def one_line(lines):
    return " ".join(" ".join(lines).split())


def parse_literal(h, pos, text, where):
    """An integer literal or (1 << n), typed as C types it: (value, wide, digits, shift),
    wide when the C type is 64-bit; digits as written (no suffix), or shift = n."""
    m = LITERAL.fullmatch(text) or LITERAL.fullmatch(re.sub(r"^\(\s*(.*?)\s*\)$", r"\1", text))
    if m:
        digits, suffix = m.group(1), m.group(2).lower()
        value = int(digits, 0)
        hexa = digits.lower().startswith("0x")
        if value > 0xFFFFFFFFFFFFFFFF:
            h.refuse(pos, f"{where}: {text} does not fit 64 bits")
        wide = "l" in suffix or value > 0xFFFFFFFF or (not hexa and "u" not in suffix and value > 0x7FFFFFFF)
        return value, wide, digits, None
    m = SHIFT.fullmatch(text)
    if m:
        suffix, bits = m.group(1).lower(), int(m.group(2))
        wide = "l" in suffix
        if bits >= (64 if wide else 32 if "u" in suffix else 31):
            h.refuse(pos, f"{where}: {text} overflows its type")
        return 1 << bits, wide, None, bits
    h.refuse(pos, f"{where}: value {text!r} is not an integer literal or (1U << n)")


def parse_header(path, text):
    h = Header(path, text)
    code, p, n = h.code, 0, len(h.code)
    guard, guard_state = None, "none"
    while True:
        while p < n and code[p].isspace():
            p += 1
        if p >= n:
            break
        if code[p] == "#":
            end = code.find("\n", p)
            end = n if end < 0 else end
            line = code[p + 1:end].strip()
            if line.endswith("\\"):
                h.refuse(p, "continued preprocessor lines are not supported")
            word, rest = (line.split(None, 1) + ["", ""])[:2]
            rest = rest.strip()
            if word == "ifndef" and guard_state == "none" and not h.consts:
                guard, guard_state = rest, "open"
            elif word == "define" and guard_state == "open" and rest == guard:
                guard_state = "defined"
            elif word == "endif" and guard_state == "defined":
                guard_state = "closed"
            elif word == "include" and rest in ("<stddef.h>", "<stdint.h>"):
                pass
            elif word == "define":
                m = re.match(r"([A-Za-z_]\w*)(\(?)\s*(.*)$", rest)
                if not m or m.group(2):
                    h.refuse(p, f"function-like or malformed macro: #{line}")
                h.add_const(p, Const(m.group(1), *parse_literal(h, p, m.group(3), m.group(1))))
            else:
                h.refuse(p, f"unsupported directive: #{line}")
            p = end
            continue
        if guard_state == "closed":
            h.refuse(p, "declaration after the include guard's #endif")
        m = re.compile(r"(struct|enum)\s+([A-Za-z_]\w*)\s*\{").match(code, p)
        if m:
            close = code.find("}", m.end())
            if close < 0 or "{" in code[m.end():close]:
                h.refuse(p, f"{m.group(1)} {m.group(2)}: nested or unterminated body")
            after = re.compile(r"\s*;").match(code, close + 1)
            if not after:
                h.refuse(close, f"{m.group(1)} {m.group(2)}: expected '}};' (no declarators, no attributes)")
            if m.group(1) == "struct":
                parse_struct(h, m.group(2), p, m.end(), close)
            else:
                parse_enum(h, m.group(2), m.end(), close)
            p = after.end()
            continue
        m = re.compile(r"_Static_assert\s*\(").match(code, p)
        if m:
            depth, q = 1, m.end()
            while q < n and depth:
                depth += {"(": 1, ")": -1}.get(code[q], 0)
                q += 1
            after = re.compile(r"\s*;").match(code, q)
            if depth or not after:
                h.refuse(p, "unterminated _Static_assert")
            h.asserts.append((h.line(p), code[m.end():q - 1]))
            p = after.end()
            continue
        h.refuse(p, f"unsupported declaration: {' '.join(code[p:p + 60].split())!r}")
    if guard_state not in ("none", "closed"):
        h.refuse(n, "include guard not closed")
    return h


def parse_enum(h, name, body_start, body_end):
    for item in h.code[body_start:body_end].split(","):
        text = item.strip()
        if not text:
            continue
        pos = body_start + h.code[body_start:body_end].find(text)
        m = re.fullmatch(r"([A-Za-z_]\w*)\s*=\s*(.+)", text)
        if not m:
            h.refuse(pos, f"enum {name}: {text!r} needs an explicit value")
        value, wide, digits, shift = parse_literal(h, pos, m.group(2).strip(), m.group(1))
        if value > 0x7FFFFFFF:
            h.refuse(pos, f"enum {name}: {m.group(1)} does not fit an int")
        h.add_const(pos, Const(m.group(1), value, False, digits, shift, enum=name))


def doc_above(h, pos):
    """The comment right above pos, alone on its lines: the struct's description."""
    for start, end, body in reversed(h.comments):
        if end <= pos:
            line_start = h.code.rfind("\n", 0, start) + 1
            if h.code[end:pos].strip() or h.code[line_start:start].strip() or h.code[end:pos].count("\n") > 1:
                return []
            return comment_lines(body)
    return []


def parse_struct(h, name, decl_pos, body_start, body_end):
    if name in h.structs:
        h.refuse(decl_pos, f"struct {name} is defined twice")
    if name in JAVA_KEYWORDS or name == "abi_h" or "$" in name:
        h.refuse(decl_pos, f"struct {name}: the name cannot be a Java class here")
    comments = [c for c in h.comments if body_start <= c[0] < body_end]
    fields, p = [], body_start
    while True:
        semi = h.code.find(";", p, body_end)
        if semi < 0:
            if h.code[p:body_end].strip():
                h.refuse(p, f"struct {name}: expected ';' after {h.code[p:body_end].strip()!r}")
            break
        decl = " ".join(h.code[p:semi].split())
        start = p + len(h.code[p:semi]) - len(h.code[p:semi].lstrip())
        m = re.fullmatch(r"(struct [A-Za-z_]\w*|[A-Za-z_]\w*) ([A-Za-z_]\w*)((?: ?\[[^\]]*\])*)", decl)
        if not m:
            h.refuse(start, f"struct {name}: unsupported field {decl!r} (pointers, bit fields, "
                            "unions, qualifiers and several declarators are outside the subset)")
        ctype, fname = m.group(1), m.group(2)
        if ctype.startswith("struct "):
            if ctype[7:] not in h.structs:
                h.refuse(start, f"struct {name}.{fname}: {ctype} is not declared above")
        elif ctype not in SIZES:
            h.refuse(start, f"struct {name}.{fname}: type {ctype} is not a fixed-width type")
        if fname in JAVA_KEYWORDS or fname in CLASS_METHODS or "$" in fname:
            h.refuse(start, f"struct {name}.{fname}: the name clashes with Java or the class's own methods")
        if any(f.name == fname for f in fields):
            h.refuse(start, f"struct {name}.{fname}: duplicate field")
        dims = []
        for d in re.findall(r"\[([^\]]*)\]", m.group(3)):
            d = d.strip()
            if not d:
                h.refuse(start, f"struct {name}.{fname}: flexible array members are outside the subset")
            if IDENT.fullmatch(d):
                c = h.by_name.get(d)
                if not c or c.enum:
                    h.refuse(start, f"struct {name}.{fname}: dimension {d} is not a #define above")
                value = c.value
            else:
                value = parse_literal(h, start, d, f"struct {name}.{fname}")[0]
            if value <= 0:
                h.refuse(start, f"struct {name}.{fname}: dimension [{d}] must be positive")
            dims.append((d, value))
        line = h.line(semi)
        trailing = [c for c in comments if c[0] > semi and h.line(c[0]) == line]
        leading = [c for c in comments if p <= c[0] < start]
        fields.append(Field(fname, ctype, dims, one_line(comment_lines(trailing[0][2])) if trailing else "",
                            [one_line(comment_lines(c[2])) for c in leading]))
        p = semi + 1
        if trailing:
            p = max(p, trailing[0][1])
    if not fields:
        h.refuse(decl_pos, f"struct {name} has no fields")
    s = Struct(name, doc_above(h, decl_pos), fields)
    lay_out(h, s)
    h.structs[name] = s


def lay_out(h, s):
    """Offsets by natural alignment, with the padding C inserts made explicit."""
    offset = 0
    for f in s.fields:
        if f.ctype.startswith("struct "):
            inner = h.structs[f.ctype[7:]]
            size, align = inner.size, inner.align
        else:
            size = align = SIZES[f.ctype]
        for _, count in f.dims:
            size *= count
        if offset % align:
            s.members.append(align - offset % align)
            offset += align - offset % align
        f.offset = offset
        s.members.append(f)
        offset += size
        s.align = max(s.align, align)
    if offset % s.align:
        s.members.append(s.align - offset % s.align)
        offset += s.align - offset % s.align
    s.size = offset


EVAL_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
            ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.LShift: operator.lshift,
            ast.RShift: operator.rshift, ast.BitOr: operator.or_, ast.BitAnd: operator.and_,
            ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge}


def evaluate(node):
    """The value of a parsed integer expression; only arithmetic, shifts, comparisons, logic."""
    if isinstance(node, ast.Expression):
        return evaluate(node.body)
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in EVAL_OPS:
        return EVAL_OPS[type(node.op)](evaluate(node.left), evaluate(node.right))
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in EVAL_OPS:
        return int(EVAL_OPS[type(node.ops[0])](evaluate(node.left), evaluate(node.comparators[0])))
    if isinstance(node, ast.BoolOp):
        values = [evaluate(v) for v in node.values]
        return int(all(values) if isinstance(node.op, ast.And) else any(values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        v = evaluate(node.operand)
        return int(not v) if isinstance(node.op, ast.Not) else -v
    raise ValueError(f"cannot evaluate {ast.dump(node)[:60]}")


def check_asserts(h):
    """Each _Static_assert the generator can evaluate must hold for its layout."""
    for line, text in h.asserts:
        m = re.fullmatch(r'(?s)(.*?)(?:,\s*"((?:[^"\\]|\\.)*)")?\s*', text)
        expr, message = m.group(1), m.group(2) or ""

        def size(m):
            return str(h.structs[m.group(1)].size)

        def offset(m):
            return str(next(f.offset for f in h.structs[m.group(1)].fields if f.name == m.group(2)))

        try:
            e = re.sub(r"sizeof\s*\(\s*struct\s+(\w+)\s*\)", size, expr)
            e = re.sub(r"offsetof\s*\(\s*struct\s+(\w+)\s*,\s*(\w+)\s*\)", offset, e)
            e = re.sub(r"\b(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*\b", r"\1", e)
            e = IDENT.sub(lambda m: str(h.by_name[m.group(0)].value), e)
            e = e.replace("&&", " and ").replace("||", " or ").replace("/", "//")
            e = re.sub(r"!(?!=)", " not ", e)
            ok = evaluate(ast.parse(e.strip(), mode="eval"))
        except (KeyError, StopIteration, SyntaxError, ValueError, ZeroDivisionError) as why:
            reason = f"does not know {why.args[0]}" if isinstance(why, KeyError) else repr(why)
            print(f"gen-bindings: warning: {h.path}:{line}: cannot check _Static_assert "
                  f"({' '.join(expr.split())}): {reason}; the C compiler still does", file=sys.stderr)
            continue
        if not ok:
            raise Refused(f"{h.path}:{line}: _Static_assert({' '.join(expr.split())}, \"{message}\") "
                          "does not hold for the generator's layout; the header relies on something "
                          "the generator does not model")
