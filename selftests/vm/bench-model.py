#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The FDP SSD model's speed and memory, for make bench: fdpctl model on the
host (one process, one core), as a Markdown section on stdout.

- Speed: a synthetic trace of 64 KiB writes at uniformly random aligned
  offsets over a 16 GiB device, replayed with 7% over-provisioning and
  greedy GC; the model's own count of page writes (host and GC, over its
  two baseline runs) over the wall time it reports, trace reading included.
- Memory: for a 1 TiB device (a trace of one write per GiB), the smallest
  address-space limit (RLIMIT_AS: everything it maps, touched or not) of
  256 MiB, 512 MiB, 1, 2, 4 GiB under which fdpctl model runs, and its
  peak resident set (getrusage(RUSAGE_CHILDREN)).

  bench-model.py FDPCTL [WRITES]   (WRITES: trace lines, default 3,000,000)
"""
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time


def model(fdpctl, trace, *args, limit=None):
    """fdpctl model TRACE ARGS -o json: its document, wall seconds; with
    @limit (bytes of address space), None if it failed under it."""
    def set_limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    t0 = time.monotonic()
    r = subprocess.run([fdpctl, "model", trace, *args, "-o", "json"],
                       check=limit is None, capture_output=True, text=True,
                       preexec_fn=set_limit if limit else None)
    if r.returncode:
        return None, 0
    return json.loads(r.stdout), time.monotonic() - t0


def main():
    fdpctl = sys.argv[1]
    writes = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000
    rnd = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        # Memory first: ru_maxrss of children is the peak over all of them.
        big = os.path.join(tmp, "big.trace")
        with open(big, "w") as f:
            f.write("# one 4 KiB write per GiB of a 1 TiB device\n")
            for g in range(1024):
                f.write("w %d 8\n" % (g * 2 * 1024 * 1024))
        _, big_wall = model(fdpctl, big, "--capacity", "1T",
                            "--ru-size", "64M", "--op", "7")
        rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        fits = None
        for mib in (256, 512, 1024, 2048, 4096):
            doc, _ = model(fdpctl, big, "--capacity", "1T", "--ru-size",
                           "64M", "--op", "7", limit=mib << 20)
            if doc:
                fits = mib
                break

        speed = os.path.join(tmp, "speed.trace")
        chunks = 16 * 1024 * 1024 // 64          # 64 KiB units in 16 GiB
        with open(speed, "w") as f:
            f.write("# uniform random 64 KiB writes over 16 GiB\n")
            for _ in range(writes):
                f.write("w %d 128\n" % (rnd.randrange(chunks) * 128))
        doc, _ = model(fdpctl, speed, "--capacity", "16G",
                       "--ru-size", "64M", "--op", "7", "--gc", "greedy")
        pages, secs = doc["page_writes"], doc["seconds"]
        waf = doc["policies"]["none"]["waf"]
    print("## The FDP SSD model (fdpctl model, host, one core)\n")
    print("A model, not a device: these are the model's own speed and "
          "memory, measured on the host that ran make bench.\n")
    print("| Case | Figure |")
    print("|---|---|")
    print("| speed: %s random 64 KiB writes, 16 GiB, 7%% OP, greedy GC "
          "(modelled WAF %.3f) | %s page writes in %.2f s: **%s page "
          "writes/s** (%.1f s for 10^8) |"
          % (format(writes, ","), waf, format(pages, ","), secs,
             format(round(pages / secs), ","), 1e8 / (pages / secs)))
    print("| memory: a 1 TiB device, 64 MiB RUs | runs within an address "
          "space of **%s**; peak RSS %.0f MiB (%.2f s) |"
          % ("%d MiB" % fits if fits else "more than 4 GiB",
             rss_kib / 1024, big_wall))
    print()


if __name__ == "__main__":
    main()
