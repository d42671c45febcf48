#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench, inside the VM (the bench kernel: no checkers). fio (io_uring,
# O_DIRECT) against each target in turn, every case FDPBLK_BENCH_REPS times
# with the targets interleaved, one JSON line per run in
# $FDPBLK_RESULTS_DIR/bench.jsonl; vm/bench.sh makes the table from it.
#
# Groups:
#   nvme     4 KiB random write QD1 and QD32, 128 KiB sequential write,
#            4 KiB random read QD32 on the raw FDP namespace, fdpblk over it
#            with a full policy (hint map, metadata pool, 1000 range
#            ranks tiling it), and dm-linear over it
#   nullblk  the same targets over null_blk (no I/O cost: the per-bio CPU
#            cost shows), fdpblk in pass-through mode
#   ranks    fdpblk on the FDP namespace with 0, 1000 and 100000 range ranks
#   swaps    fdpblk with and without a policy pushed and a rank changed
#            every millisecond (bench_ctl churn), and the errors seen
#   iostats  fdpblk with queue/iostats 0 and 1 (bios remapped, or cloned
#            and accounted), 4 KiB random writes QD1 and QD32, over
#            null_blk and over the FDP namespace, with the raw device
#   kv       the modelled WAF of a KV-cache workload recorded through
#            fdpblk (kv-model.sh, as make demo ends), in kv/ of the run
#
# FDPBLK_BENCH_GROUPS picks groups (default: all of them).

. "$(dirname "$0")/../test_common.sh"
. "$(dirname "$0")/kv-model.sh"
_require_cmd fio jq dmsetup
_require_ns FDPBLK_NS_FDP8

REPS=${FDPBLK_BENCH_REPS:-5}
RUNTIME=${FDPBLK_BENCH_RUNTIME:-5}
OUT=${FDPBLK_RESULTS_DIR:-$TMPDIR}/bench.jsonl
BENCH_CTL=$FDPBLK_SELFTESTS/bench_ctl
GROUPS_WANTED=" ${FDPBLK_BENCH_GROUPS:-nvme nullblk ranks swaps iostats kv} "
want() { [[ $GROUPS_WANTED == *" $1 "* ]]; }
: > "$OUT"
cleanup() {
	trap - ERR
	set +e
	dmsetup remove fdpbench 2>/dev/null
	_cleanup_devs
	rmmod null_blk 2>/dev/null
	return 0
}
trap cleanup EXIT

# workload: name rw bs iodepth
WORKLOADS="randwrite-4k-qd1:randwrite:4k:1 randwrite-4k-qd32:randwrite:4k:32
seqwrite-128k:write:128k:8 randread-4k-qd32:randread:4k:32"

# Bring a target up on LOWER; sets TDEV. fdpblk gets the full policy.
target_up() { # TARGET LOWER [RANKS]
	case $1 in
	raw)
		TDEV=$2 ;;
	dm-linear)
		dmsetup create fdpbench --noudevsync \
			--table "0 $(blockdev --getsz "$2") linear $2 0"
		# No udev here: devtmpfs makes /dev/dm-N, not /dev/mapper/.
		TDEV=/dev/dm-$(dmsetup info -c --noheadings -o minor fdpbench | tr -d ' ') ;;
	fdpblk)
		_create_dev "$2"
		TDEV=$DEV
		_set_attr "$DEV" meta_pool "7 8"
		_set_attr "$DEV" data_pool "1 2 3 4 5 6"
		_set_attr "$DEV" default_ph 6
		"$BENCH_CTL" ranks "${DEV#/dev/fdpblk}" "${3:-1000}" >/dev/null ;;
	fdpblk-norank)
		_create_dev "$2"
		TDEV=$DEV ;;
	fdpblk-passthrough)
		_create_dev "$2" --passthrough
		TDEV=$DEV ;;
	"fdpblk, iostats "[01])
		if [ "$2" = /dev/nullb0 ]; then
			_create_dev "$2" --passthrough
		else
			_create_dev "$2"
			_set_attr "$DEV" data_pool "1 2 3 4 5 6"
		fi
		TDEV=$DEV
		echo "${1##* }" > "/sys/block/${DEV#/dev/}/queue/iostats" ;;
	esac
}

target_down() { # TARGET
	case $1 in
	dm-linear) dmsetup remove fdpbench ;;
	fdpblk*) "$FDPCTL" remove "$TDEV" ;;
	esac
}

# One fio run; one JSON line.
run_fio() { # GROUP TARGET WORKLOAD REP
	local group=$1 target=$2 w=$3 rep=$4 name rw bs qd json
	IFS=: read -r name rw bs qd <<<"$w"
	json=$(fio --name="$name" --filename="$TDEV" --ioengine=io_uring \
		--direct=1 --rw="$rw" --bs="$bs" --iodepth="$qd" --size=512M \
		--time_based --runtime="$RUNTIME" --ramp_time=1 \
		--randrepeat=0 --norandommap --output-format=json) ||
		_fail "fio $name on $TDEV"
	jq -c --arg g "$group" --arg t "$target" --arg w "$name" --argjson rep "$rep" \
		'.jobs[0] as $j |
		(if ($j.write.io_bytes > 0) then $j.write else $j.read end) as $d |
		{group: $g, target: $t, workload: $w, rep: $rep,
		 iops: $d.iops, bw_mib: ($d.bw / 1024),
		 p50_us: ($d.clat_ns.percentile["50.000000"] / 1000),
		 p99_us: ($d.clat_ns.percentile["99.000000"] / 1000),
		 sys_us_per_io: (if $d.total_ios > 0 then
			$j.sys_cpu / 100 * $j.job_runtime * 1000 / $d.total_ios else null end),
		 errors: $j.error}' <<<"$json" >> "$OUT"
	echo "$group $target $name rep $rep: $(tail -1 "$OUT" | jq -r '"\(.iops | floor) IOPS, p99 \(.p99_us) us"')"
}

_load_module
# Prefill so that reads return data the device keeps.
dd if=/dev/zero of="$FDPBLK_NS_FDP8" bs=1M count=512 oflag=direct status=none

want nvme && for rep in $(seq 1 "$REPS"); do
	# nvme: interleave the targets, rotating which goes first.
	targets=(raw fdpblk dm-linear)
	for i in 0 1 2; do
		t=${targets[(i + rep) % 3]}
		target_up "$t" "$FDPBLK_NS_FDP8"
		for w in $WORKLOADS; do
			run_fio nvme "$t" "$w" "$rep"
		done
		target_down "$t"
	done
done

modprobe -d "$FDPBLK_MODROOT" null_blk nr_devices=1 gb=4 bs=4096 \
	queue_mode=2 irqmode=0 submit_queues=2 ||
	_fail "modprobe null_blk"
want nullblk && for rep in $(seq 1 "$REPS"); do
	targets=(raw fdpblk-passthrough dm-linear)
	for i in 0 1 2; do
		t=${targets[(i + rep) % 3]}
		target_up "$t" /dev/nullb0
		for w in randwrite-4k-qd32:randwrite:4k:32 randread-4k-qd32:randread:4k:32; do
			run_fio nullblk "$t" "$w" "$rep"
		done
		target_down "$t"
	done
done

# iostats: the cost of accounting (a clone per bio), on null_blk (CPU
# only) and on the FDP namespace.
want iostats && for rep in $(seq 1 "$REPS"); do
	for lower in /dev/nullb0 "$FDPBLK_NS_FDP8"; do
		g=iostats-nvme
		[ "$lower" = /dev/nullb0 ] && g=iostats-nullblk
		targets=(raw "fdpblk, iostats 0" "fdpblk, iostats 1")
		for i in 0 1 2; do
			t=${targets[(i + rep) % 3]}
			target_up "$t" "$lower"
			for w in randwrite-4k-qd1:randwrite:4k:1 randwrite-4k-qd32:randwrite:4k:32; do
				run_fio "$g" "$t" "$w" "$rep"
			done
			target_down "$t"
		done
	done
done
rmmod null_blk

# Every case the same policy; with ranks, every write is placed by a range.
want ranks && for rep in $(seq 1 "$REPS"); do
	for n in 0 1000 100000; do
		target_up fdpblk-norank "$FDPBLK_NS_FDP8"
		_set_attr "$DEV" data_pool "1 2 3 4 5 6"
		_set_attr "$DEV" default_ph 6
		[ "$n" = 0 ] || "$BENCH_CTL" ranks "${DEV#/dev/fdpblk}" "$n" >/dev/null
		run_fio ranks "fdpblk, $n ranks" randwrite-4k-qd32:randwrite:4k:32 "$rep"
		target_down fdpblk
	done
done

# Policy swaps: none; on the device under load; on another device (the
# control: the same CPU spent on swaps, nothing swapped under this load).
want swaps && for rep in $(seq 1 "$REPS"); do
	for churn in none this other; do
		target_up fdpblk "$FDPBLK_NS_FDP8"
		io_dev=$DEV
		churn_dev=$DEV
		if [ "$churn" = other ]; then
			_create_dev "$FDPBLK_NS_FDP4"
			churn_dev=$DEV
			_set_attr "$DEV" data_pool "1 2 3"
		fi
		TDEV=$io_dev
		case $churn in
		none)
			run_fio swaps "fdpblk, no changes" randwrite-4k-qd32:randwrite:4k:32 "$rep" ;;
		*)
			"$BENCH_CTL" churn "${churn_dev#/dev/fdpblk}" $((RUNTIME + 1)) 1000 \
				> "$TMPDIR/churn" &
			churner=$!
			run_fio swaps "fdpblk, policy every 1 ms on $churn device" \
				randwrite-4k-qd32:randwrite:4k:32 "$rep"
			wait "$churner" || _fail "bench_ctl churn: $(cat "$TMPDIR/churn")"
			read -r _ pol _ rk _ err < "$TMPDIR/churn"
			# Put the churner's counts on the line just written.
			jq -c --argjson p "$pol" --argjson r "$rk" --argjson e "$err" \
				'. + {policies: $p, rank_changes: $r, churn_errors: $e}' \
				<<<"$(tail -1 "$OUT")" > "$TMPDIR/last"
			sed -i '$d' "$OUT"
			cat "$TMPDIR/last" >> "$OUT" ;;
		esac
		[ "$churn" = other ] && "$FDPCTL" remove "$churn_dev"
		"$FDPCTL" remove "$io_dev"
	done
done

# Not timed: the model's figures for a recorded run.
if want kv; then
	mkdir -p "$FDPBLK_RESULTS_DIR/kv"
	kv_model "$FDPBLK_NS_FDP8" "$FDPBLK_RESULTS_DIR/kv"
fi
echo "bench: $(wc -l < "$OUT") runs in $OUT"
