#!/usr/bin/env python3
"""check-opcodes: every C list of offload opcodes agrees with include/azalea/abi.h.

abi.h's enum az_opcode is the one source of the opcode set.  Each C part
that sends or serves opcodes names each one either in its code (comments
do not count) or in one comment that mentions this script and lists the
opcodes that part does not handle, saying why.  Fails, naming the file and
the opcodes, if a part neither handles nor lists one of abi.h's opcodes,
both handles and lists one, or names an opcode abi.h does not have.
Run by `make native-test`.
"""

import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abi_parse  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The parts, each a set of files taken together.
PARTS = {
    "the kernel (what it offloads)": ["native/kernel/inst/sys_file.c", "native/kernel/inst/fmap.c"],
    "c-proxy (what it serves)": ["native/tests/c_proxy.c"],
    "azlib (what it wraps)": ["native/host/azlib.h", "native/host/azlib_*.c"],
}
MARKER = "check-opcodes"
OPCODE = re.compile(r"\bAZ_OP_\w+")
# Comments and literals of C; literals are kept, comments taken apart.
TOKENS = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)


def abi_opcodes():
    path = os.path.join(REPO, "include/azalea/abi.h")
    with open(path) as f:
        h = abi_parse.parse_header(path, f.read())
    return {c.name for c in h.consts if c.enum == "az_opcode" and not c.name.endswith("__LAST")}


def scan(path):
    """(opcodes named in code, opcodes listed as not handled, marker comments seen)."""
    with open(path) as f:
        text = f.read()
    code, listed, markers = [], set(), 0
    last = 0
    for m in TOKENS.finditer(text):
        tok = m.group(0)
        code.append(text[last:m.start()])
        if tok.startswith("/"):
            if MARKER in tok:
                markers += 1
                listed |= set(OPCODE.findall(tok))
        else:
            code.append(tok)
        last = m.end()
    code.append(text[last:])
    named = set(OPCODE.findall("".join(code)))
    named.discard("AZ_OP__LAST")
    return named, listed, markers


def main():
    abi = abi_opcodes()
    failures = []
    for part, patterns in PARTS.items():
        files = sorted(f for p in patterns for f in glob.glob(os.path.join(REPO, p)))
        if not files:
            failures.append(f"{part}: no files match {patterns}")
            continue
        named, listed, markers = set(), set(), 0
        for f in files:
            n, l, k = scan(f)
            named |= n
            listed |= l
            markers += k
        where = ", ".join(os.path.relpath(f, REPO) for f in files)
        if markers > 1:
            failures.append(f"{part} ({where}): {markers} comments mention {MARKER}; keep one list")
        for what, names in (("neither handles nor lists as not handled", abi - named - listed),
                            ("both handles and lists as not handled", named & listed),
                            ("names opcodes abi.h does not have", (named | listed) - abi)):
            if names:
                failures.append(f"{part} ({where}) {what}: {', '.join(sorted(names))}")
    if failures:
        print("check-opcodes: the C opcode lists disagree with include/azalea/abi.h", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        return 1
    print(f"check-opcodes: {len(abi)} opcodes of abi.h, {len(PARTS)} C parts agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
