#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench-guest.sh's bench.jsonl into the markdown of BENCHMARKS.md.

Every number in the table comes from the runs in the file: min / median /
max over the repetitions, and ratios of medians against the baselines
measured in the same VM run.
"""
import argparse
import datetime
import json
import statistics
import sys


def fmt(v, digits=0):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}" if digits else f"{v:,.0f}"


def spread(runs, key, digits=0):
    vals = [r[key] for r in runs if r.get(key) is not None]
    if not vals:
        return "-"
    return " / ".join(fmt(v, digits) for v in
                      (min(vals), statistics.median(vals), max(vals)))


def median(runs, key):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def ratio(a, b):
    return f"{a / b:.3f}" if a is not None and b else "-"


def metric(workload):
    """Sequential writes are measured in MiB/s, the rest in IOPS."""
    return ("bw_mib", "MiB/s", 1) if workload.startswith("seq") else ("iops", "IOPS", 0)


def table(out, runs, group, targets, subject, baselines):
    rows = [r for r in runs if r["group"] == group]
    workloads = list(dict.fromkeys(r["workload"] for r in rows))
    heads = ["workload", "target", "IOPS or MiB/s", "p50 us", "p99 us",
             "sys us/IO"] + [f"{subject}/{b}" for b in baselines]
    out.write("| " + " | ".join(heads) + " |\n")
    out.write("|" + "---|" * len(heads) + "\n")
    for w in workloads:
        key, unit, digits = metric(w)
        med = {t: median([r for r in rows if r["workload"] == w and r["target"] == t], key)
               for t in targets}
        for t in targets:
            tr = [r for r in rows if r["workload"] == w and r["target"] == t]
            if not tr:
                continue
            cells = [w, t, f"{spread(tr, key, digits)} {unit}", spread(tr, "p50_us", 1),
                     spread(tr, "p99_us", 1), spread(tr, "sys_us_per_io", 2)]
            for b in baselines:
                cells.append(ratio(med[t], med[b]) if t == subject else "")
            out.write("| " + " | ".join(cells) + " |\n")
    out.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jsonl")
    for opt in ("kernel", "qemu", "accel", "fio", "cpu", "reps", "runtime"):
        ap.add_argument("--" + opt, required=True)
    a = ap.parse_args()
    with open(a.jsonl) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    if not runs:
        sys.exit("bench-table: no runs in " + a.jsonl)

    out = sys.stdout
    out.write("# fdpblk benchmarks\n\n")
    out.write(f"Written by `make bench` on {datetime.date.today().isoformat()}; do not edit.\n\n")
    out.write(f"- guest kernel: {a.kernel}\n- QEMU: {a.qemu}, accel {a.accel}, 2 vCPUs\n")
    out.write(f"- host CPU: {a.cpu}\n- fio: {a.fio}, io_uring, O_DIRECT, "
              f"{a.runtime} s per run after 1 s ramp, {a.reps} runs per case, "
              "targets interleaved\n")
    out.write("- cells: min / median / max over the runs; ratios: medians\n\n")
    out.write("Under TCG every NVMe command is emulated in software: absolute numbers are\n"
              "the emulator's, the ratios between targets in the same run are what counts.\n\n")

    have = {r["group"] for r in runs}
    if "nvme" in have:
        out.write("## On the FDP namespace (QEMU NVMe, 8 handles)\n\n"
                  "fdpblk with a full policy: hint map, metadata pool of 2, data pool of 6,\n"
                  "1000 range ranks tiling the device on 128 KiB boundaries (every write is\n"
                  "placed by a range lookup; aligned I/O never crosses a boundary, a write\n"
                  "that does is split there).\n\n")
        table(out, runs, "nvme", ["raw", "fdpblk", "dm-linear"], "fdpblk", ["raw", "dm-linear"])

    if "nullblk" in have:
        out.write("## On null_blk (no I/O cost: the per-bio CPU cost shows)\n\n"
                  "fdpblk in pass-through mode (null_blk has no write streams).\n\n")
        table(out, runs, "nullblk", ["raw", "fdpblk-passthrough", "dm-linear"],
              "fdpblk-passthrough", ["raw", "dm-linear"])

    if have & {"iostats-nullblk", "iostats-nvme"}:
        iostats(out, runs)

    if "ranks" in have:
        ranks(out, runs)
    if "swaps" in have:
        swaps(out, runs)


def ranks(out, runs):
    out.write("## Range ranks: classification cost against the number of ranks\n\n"
              "4 KiB random writes, QD32, on the FDP namespace, the same policy in each case;\n"
              "with ranks they tile the device and every write is placed by a binary search.\n\n")
    names = list(dict.fromkeys(r["target"] for r in runs if r["group"] == "ranks"))
    table(out, runs, "ranks", names, None, [])
    rk = [r for r in runs if r["group"] == "ranks"]
    base = median([r for r in rk if r["target"] == names[0]], "iops") if names else None
    for n in names[1:]:
        out.write(f"- {n}: {ratio(median([r for r in rk if r['target'] == n], 'iops'), base)}"
                  f" of the IOPS with {names[0].split(', ')[1]}\n")
    out.write("\n")


def swaps(out, runs):
    out.write("## Policy swaps under load\n\n"
              "4 KiB random writes, QD32, while `bench_ctl churn` pushes a new policy and\n"
              "sets or clears a range rank every millisecond, on the device under load or,\n"
              "as a control spending the same CPU, on another fdpblk device.\n\n")
    quiet_t = "fdpblk, no changes"
    this_t = "fdpblk, policy every 1 ms on this device"
    other_t = "fdpblk, policy every 1 ms on other device"
    table(out, runs, "swaps", [quiet_t, this_t, other_t], None, [])
    sw = [r for r in runs if r["group"] == "swaps"]
    quiet = [r for r in sw if r["target"] == quiet_t]
    this = [r for r in sw if r["target"] == this_t]
    other = [r for r in sw if r["target"] == other_t]
    errors = sum(r["errors"] for r in sw) + sum(r.get("churn_errors", 0) for r in sw)
    out.write(f"- swaps on the device under load: {ratio(median(this, 'iops'), median(quiet, 'iops'))}"
              " of the quiet IOPS; the same churn on another device: "
              f"{ratio(median(other, 'iops'), median(quiet, 'iops'))}; "
              f"this / other: {ratio(median(this, 'iops'), median(other, 'iops'))}\n")
    out.write(f"- policies pushed per run: {spread(this + other, 'policies')}; "
              f"rank changes per run: {spread(this + other, 'rank_changes')}\n")
    out.write(f"- I/O errors and failed pushes over all runs: {errors}\n")


def iostats(out, runs):
    out.write("## iostats: what per-device statistics cost\n\n"
              "4 KiB random writes on fdpblk with `queue/iostats` 0 (bios remapped) and 1\n"
              "(each bio cloned from a per-cpu-cached bioset and accounted), and on the\n"
              "raw device; over null_blk (pass-through: CPU cost only) and over the FDP\n"
              "namespace (a data pool of 6 handles).\n\n")
    on, off = "fdpblk, iostats 1", "fdpblk, iostats 0"
    for g, title in (("iostats-nullblk", "null_blk"), ("iostats-nvme", "FDP namespace")):
        rows = [r for r in runs if r["group"] == g]
        if not rows:
            continue
        out.write(f"### {title}\n\n")
        table(out, runs, g, ["raw", off, on], on, [off, "raw"])
        for w in dict.fromkeys(r["workload"] for r in rows):
            m_on = median([r for r in rows if r["workload"] == w and r["target"] == on], "iops")
            m_off = median([r for r in rows if r["workload"] == w and r["target"] == off], "iops")
            s_on = median([r for r in rows if r["workload"] == w and r["target"] == on],
                          "sys_us_per_io")
            s_off = median([r for r in rows if r["workload"] == w and r["target"] == off],
                           "sys_us_per_io")
            cost = f"{(1 - m_on / m_off) * 100:+.1f}%" if m_on and m_off else "-"
            cpu = f"{(s_on / s_off - 1) * 100:+.1f}%" if s_on and s_off else "-"
            out.write(f"- {w}: iostats on costs {cost} of the IOPS with it off, "
                      f"and {cpu} system CPU per I/O (medians; negative: less)\n")
        out.write("\n")


if __name__ == "__main__":
    main()
