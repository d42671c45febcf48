#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fdpctl trace records a mixed workload around a command as
# the plain text trace: ext4 metadata (meta=1, on the metadata pool),
# O_DIRECT and buffered writes with hints, an io_uring write stream,
# writes in a ranked LBA range, O_DIRECT writes from a child of a ranked
# cgroup (the child's id, and c lines of its ancestry), a discard and a
# write-zeroes (d lines). Each write of the workload
# is in the trace with its sectors, inputs and ph, and the ph totals of
# the trace are what the device's RUAMW dropped by; no event is lost; the
# command's status passes through. Without a command it records until
# SIGTERM. With a tiny buffer and many writes, every write is either in
# the trace or counted as lost, and a loss fails the trace.
#
# Not here: buffered writes from the ranked cgroup. The device inode's
# writeback belongs to its first dirtier (ext4's metadata here), so such
# writes may carry another cgroup; test_place_cgroup_01 covers them.

. "$(dirname "$0")/test_common.sh"
_require_root
_require_cmd nvme blkdiscard mkfs.ext4 python3 dd
_require_ns FDPBLK_NS_FDP8

# Builtins where they do: every fork and exec costs a good fraction of a
# second in the test VM. "$(exec CMD)" is one process where the ERR trap
# makes "$(CMD)" two.
cg=/sys/fs/cgroup
ctls=
read -r ctls 2>/dev/null < $cg/cgroup.controllers || true
if [[ " $ctls " != *" io "* || " $ctls " != *" memory "* ]]; then
	_skip "cgroup2 io and memory controllers are not available"
fi
echo "+io +memory" > $cg/cgroup.subtree_control
grp=$cg/fdpblk-trace-test
tmp=$(exec mktemp -d)
mnt=$tmp/mnt
mkdir "$mnt"
cleanup() {
	trap - ERR
	set +e
	umount "$mnt" 2>/dev/null
	rmdir "$grp/w" "$grp" 2>/dev/null
	rm -rf "$tmp"
	_cleanup_devs
}
trap cleanup EXIT
# The writer in a child of the ranked cgroup, with an io controller (a
# blkcg) of its own: the trace has the child's id, the rank its parent's.
mkdir "$grp"
echo "+io +memory" > "$grp/cgroup.subtree_control"
mkdir "$grp/w"

ns=$FDPBLK_NS_FDP8
_create_dev "$ns"
lb=$(_lbsize "$ns")
K=1024
M=$((1 << 20))
B=$((64 * M))	# the raw writes, past ext4's first metadata
_set_attr "$DEV" default_ph 8
_set_attr "$DEV" data_pool "3 5"
_set_attr "$DEV" meta_pool "6 7"
"$FDPCTL" rank set "$DEV" --range $(((B + 4 * M) / M))MiB+1MiB 1 || _fail "rank set --range"
"$FDPCTL" rank set "$DEV" --cgroup "$grp" 0 || _fail "rank set --cgroup"
cgid=$(exec stat -c %i "$grp/w")
grpid=$(exec stat -c %i "$grp")
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0,nodiscard "$DEV" ||
	_fail "mkfs.ext4"
sync

# The workload, one command: a file system's metadata first (ext4 writes
# only metadata here), then raw writes over it. (Written with builtins;
# the fdp_io in the ranked cgroup moves there from a subshell, not a new
# bash: the same writes, fewer processes.)
IFS= read -r -d '' workload <<EOF || true
#!/bin/bash
set -e
mount -t ext4 "$DEV" "$mnt"
mkdir "$mnt/d"
for ((i = 1; i <= 40; i++)); do : > "$mnt/d/f\$i"; done
sync
umount "$mnt"
"$FDP_IO" write "$DEV" $B $((256 * K)) --hint 2
"$FDP_IO" write "$DEV" $((B + M)) $((256 * K)) --mode buffered --hint 4
"$FDP_IO" write "$DEV" $((B + 2 * M)) $((128 * K)) --mode uring --stream 7
"$FDP_IO" write "$DEV" $((B + 4 * M)) $((256 * K))
(echo \$BASHPID > "$grp/w/cgroup.procs" &&
	exec "$FDP_IO" write "$DEV" $((B + 5 * M)) $((128 * K)))
blkdiscard -o $((B + 6 * M)) -l $M "$DEV"
blkdiscard -z -o $((B + 7 * M)) -l $((512 * K)) "$DEV"
exit 3
EOF
printf '%s' "$workload" > "$tmp/workload"

_ruh_snapshot_to before "$ns"
rc=0
"$FDPCTL" trace "$DEV" -o "$tmp/trace" -- bash "$tmp/workload" 2> "$tmp/err" || rc=$?
_ruh_snapshot_to after "$ns"
err=$(<"$tmp/err")
if [ -n "$err" ]; then printf '%s\n' "$err"; fi
_assert_eq "fdpctl trace's status: the command's" 3 "$rc"
trace=$(<"$tmp/trace")
_has_line "$trace" "# lost events: 0" || _fail "lost events: $(grep '^# lost' "$tmp/trace")"
devno=$(<"/sys/block/${DEV##*/}/dev")
_has_line_prefix "$trace" "# device: $DEV ($devno)" || _fail "no device in the header"
# Each ph beside nvme-cli's placement ID and RUH id of handle ph - 1.
handles=$(nvme fdp status "$ns" -o json |
	jq -r '[.ruhss | to_entries[] | "\(.key + 1) \(.value.pid) \(.value.ruhid)"] | join(", ")')
_has_line "$trace" "# handles (ph pid ruhid): $handles" ||
	_fail "the header's handles are not nvme-cli's ($handles): $(grep '^# handles' "$tmp/trace")"
# Wherever tracefs is mounted (/sys/kernel/tracing or under debugfs).
tracefs=()
while read -r _ mnt fstype _; do
	[ "$fstype" != tracefs ] || tracefs+=("$mnt")
done < /proc/mounts
[ ${#tracefs[@]} -gt 0 ] || _fail "no tracefs mounted, yet fdpctl trace ran"
for t in "${tracefs[@]}"; do
	for i in "$t"/instances/*fdpctl-trace*; do
		if [ -e "$i" ]; then _fail "fdpctl trace left its tracefs instance $i"; fi
	done
done

# Each write where it was issued, whole, with its inputs and ph; the
# raw regions and the metadata apart. Prints the expected RUAMW drop.
# (Regions in 512-byte sectors.)
expect=$(exec python3 - "$tmp/trace" "$lb" "$FDPBLK_PH0_LANDS_ON" "$cgid" "$grpid" \
	"$((B / 512)):$((256 * K / 512)):hint=2,stream=2,ph=2" \
	"$(((B + M) / 512)):$((256 * K / 512)):hint=4,ph=4" \
	"$(((B + 2 * M) / 512)):$((128 * K / 512)):stream=7,ph=7" \
	"$(((B + 4 * M) / 512)):$((256 * K / 512)):ph=5" \
	"$(((B + 5 * M) / 512)):$((128 * K / 512)):cgroup=$cgid,ph=3" \
	"$(((B + 6 * M) / 512)):$((M / 512)):d" \
	"$(((B + 7 * M) / 512)):$((512 * K / 512)):d" <<'PY'
import sys
path, lb, ph0, cgid, grpid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
regions = []
for a in sys.argv[6:]:
    start, n, want = a.split(":")
    regions.append((int(start), int(n), want))
def fail(msg):
    sys.exit("trace: " + msg)
recs, meta, per_ph, parents = [], 0, {}, {}
for no, line in enumerate(open(path), 1):
    if line.startswith("#"):
        continue
    f = line.split()
    if f[0] == "c":
        # A cgroup's ancestry, before the first write that names it.
        if f[1] in parents or any(r[3].get("cgroup") == f[1] for r in recs):
            fail("line %d: c after the cgroup's writes, or twice: %s" % (no, line))
        parents[f[1]] = f[2]
        continue
    kind, sector, n = f[0], int(f[1]), int(f[2])
    keys = dict(k.split("=") for k in f[3:])
    if kind == "w":
        if "ph" not in keys:
            fail("line %d: a write without ph: %s" % (no, line))
        ph = int(keys["ph"]) or ph0
        per_ph[ph] = per_ph.get(ph, 0) + n
        if keys.get("meta") == "1":
            meta += 1
            if keys["ph"] not in ("6", "7"):
                fail("line %d: metadata off the metadata pool: %s" % (no, line))
            continue
    elif keys:
        fail("line %d: a d line with keys: %s" % (no, line))
    recs.append((sector, n, kind, keys, no))
if not meta:
    fail("no metadata write (meta=1) in the trace")
if parents.get(cgid) != grpid:
    fail("no c line gives cgroup %s the parent %s: %s" % (cgid, grpid, parents))
for start, n, want in regions:
    inside = [r for r in recs if r[0] < start + n and r[0] + r[1] > start]
    covered = sum(r[1] for r in inside)
    for sector, m, kind, keys, no in inside:
        if sector < start or sector + m > start + n:
            fail("line %d runs out of %d+%d" % (no, start, n))
        if want == "d":
            if kind != "d":
                fail("line %d: a write in the discarded %d+%d" % (no, start, n))
            continue
        exp = dict(k.split("=") for k in want.split(","))
        # Writes from elsewhere carry their own cgroup's id, not ours.
        if "cgroup" not in exp and keys.get("cgroup") != cgid:
            keys = {k: v for k, v in keys.items() if k != "cgroup"}
        if kind != "w" or keys != exp:
            fail("line %d: %s %d %d %s, expected %s" % (no, kind, sector, m, keys, want))
    if covered != n:
        fail("%d+%d: %d sectors traced" % (start, n, covered))
# The device counts a write-zeroes (no directive) on its default handle.
zs, zn, _ = regions[-1]
per_ph[ph0] = per_ph.get(ph0, 0) + zn
print(" ".join("%d:%d" % (ph, n * 512 // lb) for ph, n in sorted(per_ph.items())))
PY
) || _fail "$expect"
_log "trace per ph (blocks): $expect"
_assert_ruh_drop "$before" "$after" "$expect"
# The trailer's counts agree with the lines. count_w: grep -c '^w ' and
# sed -n 's/^PREFIX\([0-9]*\) .*/\1/p' over FILE, with builtins.
count_w() { # NVAR VVAR FILE PREFIX
	local _l _n=0 _v=''
	local -a _ls
	mapfile -t _ls < "$3"
	for _l in "${_ls[@]}"; do
		case $_l in
		"w "*) _n=$((_n + 1)) ;;
		"$4"*) if [[ ${_l#"$4"} =~ ^([0-9]*)' ' ]]; then _v+=${BASH_REMATCH[1]}$'\n'; fi ;;
		esac
	done
	while [[ $_v == *$'\n' ]]; do _v=${_v%$'\n'}; done
	printf -v "$1" %d "$_n"
	printf -v "$2" '%s' "$_v"
}
nw=0 writes=''
count_w nw writes "$tmp/trace" "# writes: "
_assert_eq "traced writes" "$nw" "$writes"
[[ $'\n'$trace == *$'\n''# source meta: writes: '[1-9]* ]] || _fail "no meta count in the trailer"
_has_line "$trace" "# source range: writes: 2 sectors: 512" ||
	_fail "range count: $(grep '^# source range' "$tmp/trace")"

# Classified offline exactly as the kernel did: under the policy and the
# ranks the writes were placed by, fdpctl model's classification (the
# module's rules, compiled into fdpctl) gives every write of the trace the
# ph the module recorded. Another data pool must differ (the comparison
# can fail). The child cgroup is gone by then: the rank of its parent
# reaches its writes through the trace's c lines only.
rmdir "$grp/w" || _fail "rmdir $grp/w"
"$FDPCTL" policy show "$DEV" > "$tmp/policy" || _fail "policy show"
"$FDPCTL" rank save "$DEV" "$tmp/ranks" || _fail "rank save"
while IFS= read -r line; do
	[[ $line != data_pool* ]] || line='data_pool = 1 2'
	printf '%s\n' "$line"
done < "$tmp/policy" > "$tmp/policy-other"
got=$(exec "$FDPCTL" model "$tmp/trace" --policy "$tmp/policy" \
	--policy "$tmp/policy-other" --ranks "$tmp/ranks" --ru-size 1M --op 50 -o json |
	jq -r --arg p "$tmp/policy" --arg o "$tmp/policy-other" \
	'.policies[$p].recorded_ph as $a | .policies[$o].recorded_ph as $b |
	 "\($a.compared) \($a.differ) \($b.compared) \($b.differ)"') ||
	_fail "fdpctl model on the trace"
read -r same_n same_d other_n other_d <<<"$got"
_assert_eq "writes classified offline under the recorded policy" "$nw 0" "$same_n $same_d"
[ "$other_n" = "$nw" ] && [ "$other_d" -gt 0 ] ||
	_fail "another data pool: $other_d of $other_n writes differ"
_log "offline classification: $nw of $nw writes got the recorded ph; another data pool: $other_d differ"

# With --device, the model takes the namespace's geometry, and shows each
# ph beside its placement ID and RUH id as nvme-cli reads them (JSON and
# the per-ph table alike).
ruhs=$(exec nvme fdp status "$ns" -o json) || _fail "nvme fdp status $ns"
json=$(exec "$FDPCTL" model "$tmp/trace" --policy "$tmp/policy" --ranks "$tmp/ranks" \
	--device "$ns" --op 50 -o json) || _fail "fdpctl model --device $ns"
got=$(exec jq -c --arg p "$tmp/policy" --argjson r "$(jq -c .ruhss <<<"$ruhs")" \
	'[.policies[$p].handles[] | select(.ph > 0)] |
	 (map([.ph, .pid, .ruhid]), map([.ph, $r[.ph - 1].pid, $r[.ph - 1].ruhid]))' <<<"$json")
{ read -r j_model; read -r j_nvme; } <<<"$got"
[[ $j_model == '[['*'],['* ]] || _fail "model --device: fewer than two ph: $j_model"
_assert_eq "model --device: ph, pid, ruhid" "$j_nvme" "$j_model"
out=$(exec "$FDPCTL" model "$tmp/trace" --policy "$tmp/policy" --ranks "$tmp/ranks" \
	--device "$ns" --op 50) || _fail "fdpctl model --device $ns"
_lines_matching got "$out" "^${tmp//./\\.}/policy +[1-9][0-9]* +[0-9]+ +[0-9]+ " || true
_assert_eq "model --device: the per-ph table's ph, pid, ruhid" \
	"$(jq -r '.[] | join(" ")' <<<"$j_nvme")" "$(awk '{ print $2, $3, $4 }' <<<"$got")"

# Without a command: until a signal (SIGTERM: a background job of a
# script ignores SIGINT), and the write made meanwhile is in it.
# (Polled with builtins, for up to a minute; the file may not be there
# yet.)
"$FDPCTL" trace "$DEV" -o "$tmp/sig" 2> "$tmp/sigerr" &
pid=$!
for ((i = 0; i < 600; i++)); do
	err=
	read -r -d '' err 2>/dev/null < "$tmp/sigerr" || true
	[[ $err == *recording* ]] && break
	_sleep 0.1
done
[[ $err == *recording* ]] || _fail "fdpctl trace did not start: $err"
"$FDP_IO" write "$DEV" $((B + 8 * M)) $((128 * K)) --hint 1
kill -TERM $pid
rc=0
wait $pid || rc=$?
_assert_eq "fdpctl trace stopped by SIGTERM" 0 "$rc"
_match_line "$(<"$tmp/sig")" "^w $(((B + 8 * M) / 512)) 256 hint=1 stream=1( cgroup=[0-9]+)? ph=1\$" ||
	_fail "the write is not in the trace: $(grep -v '^#' "$tmp/sig" | head -3)"

# A tiny buffer and many small writes while the reader is stopped (the
# command stops fdpctl, its parent, and continues it after the writes): the
# ring buffer must overrun. Each write is traced or counted lost, and the
# loss fails the trace (125 around a command) and says so.
n=2048
rc=0
"$FDPCTL" trace "$DEV" --buffer-kb 4 -o "$tmp/small" -- \
	bash -c 'kill -STOP $PPID; "$@"; rc=$?; kill -CONT $PPID; exit $rc' fdp_io \
	"$FDP_IO" write "$DEV" $((B + 16 * M)) $((n * 4 * K)) --bs 4K 2> "$tmp/smallerr" || rc=$?
# (sed -n 's/^# lost events: //p' and grep -c '^w ', with builtins.)
lost='' got=0
mapfile -t lines < "$tmp/small"
for line in "${lines[@]}"; do
	case $line in
	"w "*) got=$((got + 1)) ;;
	"# lost events: "*) lost+=${lost:+$'\n'}${line#"# lost events: "} ;;
	esac
done
[[ $lost =~ ^[0-9]+$ ]] || _fail "not one '# lost events: N' line in the trace: '$lost'"
_assert_eq "writes traced + lost" $n $((got + lost))
[ "$lost" -gt 0 ] || _fail "no event lost with the reader stopped and a 4 KiB buffer"
_assert_eq "status with events lost" 125 "$rc"
err=$(<"$tmp/smallerr")
[[ $err == *"$lost events lost"* ]] || _fail "loss not reported: $err"
_log "4 KiB buffer, reader stopped: $lost of $n events lost, reported"
_pass
