#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A KV-cache-style workload, as CacheLib's and LMCache's stores write:
# objects (1 MiB, or --obj KIB) written whole, each file with the write-lifetime hint of
# its class (F_SET_RW_HINT on the file, so buffered writeback carries it),
# and dropped whole, oldest first, once its class is over its share of the
# file system.
#
#   kv.py [--obj KIB] DIR FS_BYTES CLASS...     CLASS: NAME:HINT:SHARE:WRITES
#
# SHARE: the live bytes the class keeps, a fraction of FS_BYTES; WRITES:
# the bytes it writes in all, a multiple of FS_BYTES. Classes whose WRITES
# are their SHARE (written once, kept) are written first; the others
# then in turns, each at its own pace (the one furthest behind goes next).
import fcntl, os, struct, sys

F_SET_RW_HINT = 1036
args = sys.argv[1:]
OBJ = 1 << 20
if args[0] == "--obj":
    OBJ = int(args[1]) << 10
    args = args[2:]
d, fs = args[0], int(args[1])
classes = []
for spec in args[2:]:
    name, hint, share, writes = spec.split(":")
    live = max(1, int(float(share) * fs) // OBJ)
    n = max(1, int(float(writes) * fs) // OBJ)
    classes.append(dict(name=name, hint=int(hint), live=live, total=n, n=0, objs=[]))
buf = bytearray(os.urandom(OBJ))


def put(c):
    # Evict first, as a cache does: the class never holds more than its share.
    while len(c["objs"]) >= c["live"]:
        os.unlink(c["objs"].pop(0))
    path = os.path.join(d, "%s-%06d" % (c["name"], c["n"]))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    fcntl.fcntl(fd, F_SET_RW_HINT, struct.pack("Q", c["hint"]))
    buf[:8] = c["n"].to_bytes(8, "little")
    os.write(fd, buf)
    os.close(fd)
    c["objs"].append(path)
    c["n"] += 1


for c in classes:
    if c["total"] <= c["live"]:
        while c["n"] < c["total"]:
            put(c)
churn = [c for c in classes if c["total"] > c["live"]]
while churn:
    c = min(churn, key=lambda c: c["n"] / c["total"])
    put(c)
    if c["n"] == c["total"]:
        churn.remove(c)
os.sync()
for c in classes:
    print("%s: hint %d, %d MiB written, %d MiB live" %
          (c["name"], c["hint"], c["n"] * OBJ >> 20, len(c["objs"]) * OBJ >> 20))
