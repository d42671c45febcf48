#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build the bench kernel (no checkers; its own cache key),
# fdpblk.ko and the helpers against it, run bench-guest.sh in the VM, and
# write the table to selftests/BENCHMARKS.md (printed too), with the speed
# and memory of fdpctl's FDP SSD model on the host (bench-model.py) and the
# modelled WAF of the KV-cache workload (group kv). Not part of
# make check: it measures, it does not pass or fail on time.
#
#   FDPBLK_BENCH_REPS (5) runs per case, FDPBLK_BENCH_RUNTIME (5) seconds each
#   FDPBLK_BENCH_GROUPS: some of the groups of bench-guest.sh (default all);
#   the table of a part goes to the run directory, not BENCHMARKS.md

set -euo pipefail
export FDPBLK_FLAVOR=bench
. "$(dirname "$0")/common.sh"

start=$SECONDS
fdpblk_build_for_vm
# The debug build of make check and make demo must not pick these up.
trap 'make -s -C "$FDPBLK_TOP" clean >/dev/null' EXIT

run=$(fdpblk_new_run_dir bench)
"$FDPBLK_VM/run-vm.sh" --name bench --dir "$run" --timeout 2400 -- \
	"FDPBLK_BENCH_REPS=${FDPBLK_BENCH_REPS:-5} FDPBLK_BENCH_RUNTIME=${FDPBLK_BENCH_RUNTIME:-5} FDPBLK_BENCH_GROUPS='${FDPBLK_BENCH_GROUPS:-}' selftests/vm/bench-guest.sh"

table=$FDPBLK_TOP/selftests/BENCHMARKS.md
[ -z "${FDPBLK_BENCH_GROUPS:-}" ] || table=$run/BENCHMARKS.md

python3 "$FDPBLK_VM/bench-table.py" "$run/bench.jsonl" \
	--kernel "$(make -s -C "$kb" kernelrelease) ($FDPBLK_FLAVOR flavour)" \
	--qemu "$(qemu-system-x86_64 --version | head -1)" \
	--accel "$("$FDPBLK_VM/accel.sh")" \
	--fio "$(fio --version)" \
	--cpu "$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores" \
	--reps "${FDPBLK_BENCH_REPS:-5}" --runtime "${FDPBLK_BENCH_RUNTIME:-5}" \
	> "$table"
# The FDP SSD model of fdpctl model: its speed and memory, on this host.
python3 "$FDPBLK_VM/bench-model.py" "$FDPBLK_TOP/userspace/fdpctl" >> "$table"
# The modelled WAF of the KV-cache workload the guest recorded (group kv).
if [ -e "$run/kv/kv-model.md" ]; then
	{
		echo
		echo "## Modelled write amplification of a KV-cache workload (a MODEL, not a measurement)"
		echo
		echo "The table \`make demo\` ends with (\`selftests/vm/kv-model.sh\`):" \
			"a KV-cache workload recorded through fdpblk by \`fdpctl trace\`" \
			"(objects of 64 KiB in four lifetimes with write hints, a ranked" \
			"tenant, ext4's metadata and journal, about five times a 128 MiB" \
			"file system written), replayed by \`fdpctl model\` with the" \
			"namespace's handles, 512 KiB reclaim units and 7% over-provisioning." \
			"QEMU has no garbage collection; these are the model's figures."
		echo
		cat "$run/kv/kv-model.md"
	} >> "$table"
fi
cat "$table"
echo "bench: $((SECONDS - start))s; table in $table, runs in $run"
