#!/usr/bin/env python3
"""syscall-table: docs/syscalls.md, what the instance kernel does with each
Linux x86-64 system call number, generated from the kernel's own code.

Sources, read as text:
  - Linux's numbers: /usr/include/x86_64-linux-gnu/asm/unistd_64.h
    (`#define __NR_name nr`);
  - the kernel's numbers: native/kernel/inst/syscalls.h (`#define SYS_name nr`);
  - served in the instance: syscall.c's table (`[SYS_x] = sys_y`); a handler
    whose every return is the same `-Eerrno` is "refused" with that errno
    (fork, execve, rseq, clone3, wait4's ECHILD);
  - offloaded: sys_file.c's table (`OP(SYS_x, AZ_OP_y, ...)`) and the cases
    of its switches (`case SYS_x:`), with the opcode the case sends;
  - anything else is ENOSYS (syscall.c's dispatch).
Usage: syscall-table.py [--check] [--out FILE].  --check exits 1, naming the
first difference, when the committed file is not what the code says.
"""

import argparse
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNISTD = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
INST = os.path.join(REPO, "native/kernel/inst")
OUT = os.path.join(REPO, "docs/syscalls.md")


def read(path):
    with open(path) as f:
        return f.read()


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


def linux_numbers():
    return {int(n): name for name, n in re.findall(r"#define __NR_(\w+)\s+(\d+)", read(UNISTD))}


def kernel_numbers():
    return {name: int(n) for name, n in re.findall(r"#define SYS_(\w+)\s+(\d+)", read(os.path.join(INST, "syscalls.h")))}


def function_bodies():
    """name -> body text of every function defined in the kernel's inst/*.c."""
    bodies = {}
    for f in sorted(os.listdir(INST)):
        if not f.endswith(".c"):
            continue
        text = strip_comments(read(os.path.join(INST, f)))
        for m in re.finditer(r"^[\w ]*?\b(\w+)\([^;{]*\)\s*\{", text, re.M):
            depth, i = 1, m.end()
            while depth and i < len(text):
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            bodies[m.group(1)] = text[m.end():i - 1]
    return bodies


def refusal(body):
    """The errno a handler always returns (ENOSYS, ECHILD...), or None if it serves the call."""
    rets = re.findall(r"\breturn\s+([^;]*);", body)
    errs = {re.fullmatch(r"-(E[A-Z0-9]+?)_?", r.strip()).group(1) if re.fullmatch(r"-(E[A-Z0-9]+?)_?", r.strip()) else None
            for r in rets}
    return errs.pop() if len(errs) == 1 and None not in errs else None


def local_table(kern, bodies):
    text = strip_comments(read(os.path.join(INST, "syscall.c")))
    out = {}
    for name, fn in re.findall(r"\[SYS_(\w+)\]\s*=\s*(\w+)", text):
        err = refusal(bodies.get(fn, ""))
        if fn == "sys_fork":
            out[kern[name]] = ("refused", err or "ENOSYS", "would make a new process: none in a unikernel")
        elif err:
            out[kern[name]] = ("refused", err, f"`{fn}`")
        else:
            out[kern[name]] = ("instance", "", f"`{fn}`")
    return out


def opcode_in(text, bodies, seen=()):
    """The first AZ_OP_ a piece of code sends, following the helpers it calls."""
    m = re.search(r"\bAZ_OP_(\w+)", text)
    if m:
        return m.group(1)
    for call in re.findall(r"\b(\w+)\(", text):
        if call in bodies and call not in seen and call not in ("call", "offload_call"):
            op = opcode_in(bodies[call], bodies, seen + (call,))
            if op:
                return op
    return None


def offload_table(kern, bodies):
    text = strip_comments(read(os.path.join(INST, "sys_file.c")))
    out = {}
    for name, op in re.findall(r"\bOP\(SYS_(\w+),\s*AZ_OP_(\w+)", text):
        out[kern[name]] = ("offloaded", op, "")
    body = bodies["offload"]
    cases = list(re.finditer(r"case SYS_(\w+):", body))
    for i, m in enumerate(cases):
        nr = kern[m.group(1)]
        if nr in out:
            continue
        end = cases[i + 1].start() if i + 1 < len(cases) else len(body)
        # Cases that share a body: the first statement after the run of labels.
        j = i
        while j + 1 < len(cases) and body[cases[j].end():cases[j + 1].start()].strip() == "":
            j += 1
        end = cases[j + 1].start() if j + 1 < len(cases) else len(body)
        piece = body[cases[j].end():end]
        op = opcode_in(piece, bodies)
        if not op and "nr = SYS_" in piece:
            alias = re.search(r"nr = SYS_(\w+)", piece).group(1)
            op = out.get(kern[alias], (None, None))[1]
        if op:
            out[nr] = ("offloaded", op, "")
    return out


def generate():
    linux = linux_numbers()
    kern = kernel_numbers()
    for name, nr in kern.items():
        if linux.get(nr) != name:
            sys.exit(f"syscall-table: syscalls.h says SYS_{name} is {nr}, Linux says {nr} is {linux.get(nr)}")
    bodies = function_bodies()
    rows = {}
    rows.update(offload_table(kern, bodies))
    rows.update(local_table(kern, bodies))
    counts = {"instance": 0, "offloaded": 0, "refused": 0}
    lines = []
    for nr in sorted(linux):
        where, what, note = rows.get(nr, ("refused", "ENOSYS", ""))
        counts[where] += 1
        if where == "instance":
            cell = "served in the instance"
        elif where == "offloaded":
            cell = f"offloaded (`AZ_OP_{what}`)"
        else:
            cell = f"refused: {what}"
        lines.append(f"| {nr} | `{linux[nr]}` | {cell} | {note} |")
    head = f"""# System calls of an Azalea instance

Generated by `scripts/syscall-table.py` from the instance kernel's own tables
(`native/kernel/inst/syscall.c`, `sys_file.c`, `syscalls.h`) and Linux's
x86-64 numbers (`{UNISTD}`); do not edit: run `make syscall-table`
(`SyscallTableUpToDateTest` fails when this file is stale).

- **served in the instance**: the unikernel answers it itself (memory,
  threads, futexes, signals, time, identity).
- **offloaded**: sent over the channel to the full-weight kernel's proxy, which
  runs it on the host for this instance's fds and root (files, sockets, pipes,
  epoll, select, eventfd, timerfd; docs/architecture.md says why).
- **refused**: the call returns this errno.  ENOSYS is logged once per number
  on the node console; fork, vfork, execve and execveat are refused because
  an instance is one program in one address space (native/kernel/README.md).

Some offloaded calls are refused in part before they leave the kernel: paths
under `/proc` and `/sys` are ENOENT (`/proc/self/exe` is answered in the
instance), `faccessat2` with flags is ENOSYS, `sendmsg`/`recvmsg` with
ancillary data are EINVAL, signal masks of `ppoll`/`pselect6`/`epoll_pwait`
do not cross the channel.  The Azalea calls (`AZ_SYS_*`, from 0x4000) are in
`include/azalea/abi.h`.

{counts['instance']} served in the instance, {counts['offloaded']} offloaded, {counts['refused']} refused, of {len(linux)} numbers.

| nr | name | where | handler |
|---:|---|---|---|
"""
    return head + "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    text = generate()
    if args.check:
        have = read(args.out) if os.path.exists(args.out) else ""
        if have != text:
            want, got = text.splitlines(), have.splitlines()
            for i in range(max(len(want), len(got))):
                w = want[i] if i < len(want) else "<end>"
                g = got[i] if i < len(got) else "<end>"
                if w != g:
                    print(f"syscall-table: {os.path.relpath(args.out, REPO)}:{i + 1} is stale: the code says `{w}`, "
                          f"the file `{g}`; run `make syscall-table`", file=sys.stderr)
                    break
            return 1
        print("syscall-table: docs/syscalls.md is up to date")
        return 0
    with open(args.out, "w") as f:
        f.write(text)
    print(f"syscall-table: wrote {os.path.relpath(args.out, REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
