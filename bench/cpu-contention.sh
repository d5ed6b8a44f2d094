#!/usr/bin/env bash
# Benchmark (not part of the test suite): the edit stage's CPU time alone and beside other work, with viaspark's
# CPU defaults (spark.task.cpus threads per task, OMP_WAIT_POLICY=PASSIVE; docs/configuration.md, CPU
# threads) and with libtorch's own (every core per task, OpenMP's default wait policy), which viaspark used before.
# One generated clip (FRAMES frames of 64x64 at 25 fps, a keyframe every 25 frames, segments of 25 frames) is edited
# with the bundled toy model, ip2p and Via:
#   alone        local[2], nothing else running
#   busy         local[2], beside one busy process (a shell loop spinning on one core)
#   one-task     local[1], one segment at a time (the throughput two tasks on two cores are compared with)
# Prints the edit stage's wall seconds ("[viaspark] ... edit stage: S s" lines of the job), and the ratios the
# issue asks for: busy / alone (goal <= 1.7) and one-task / alone (two tasks' throughput over one's, goal >= 1.6).
# Usage: bench/cpu-contention.sh      FRAMES=N (100)  STEPS=N (10)  WORK=DIR (/tmp/viaspark-bench-cpu)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK:-/tmp/viaspark-bench-cpu}"
frames="${FRAMES:-100}"
steps="${STEPS:-10}"
mkdir -p "$work"
clip="$work/clip-$frames.mp4"
[ -f "$clip" ] || "$root/job/viaspark" generate --output "$clip" --seconds "$(awk "BEGIN { print $frames / 25 }")" \
  --size 64x64 --fps 25 --gop 25 >/dev/null 2>&1
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
  "model models/toy-ip2p, $frames frames 64x64, $steps steps, Via, segments of 25 frames"

busy=""
stop_busy() { [ -n "$busy" ] && kill "$busy" 2>/dev/null || true; busy=""; }
trap stop_busy EXIT

# edit_seconds NAME MASTER [--set ...]: prints the edit stage's wall seconds
edit_seconds() {
  local name="$1" master="$2"
  shift 2
  local out="$work/out-$name"
  rm -rf "$out"
  "$root/job/viaspark" edit --input "$clip" --output "$out" --editor ip2p --instruction "make the circle red" \
    --set model.path="$root/models/toy-ip2p" --set edit.steps="$steps" --set via.enabled=true \
    --set video.segment-frames=25 --set spark.master="$master" --set job.progress-interval=0 "$@" \
    > "$work/$name.log" 2>&1
  grep -o 'edit stage: [0-9.]*' "$work/$name.log" | awk '{print $3}'
}

measure() {
  local label="$1"
  shift
  local alone busy_s one
  alone=$(edit_seconds "$label-alone" 'local[2]' "$@")
  bash -c 'while :; do :; done' &
  busy=$!
  busy_s=$(edit_seconds "$label-busy" 'local[2]' "$@")
  stop_busy
  one=$(edit_seconds "$label-one-task" 'local[1]' "$@")
  printf '%-18s alone_s=%s busy_s=%s one_task_s=%s busy/alone=%.2f two_tasks_throughput=%.2fx\n' "$label" \
    "$alone" "$busy_s" "$one" "$(awk "BEGIN { print $busy_s / $alone }")" "$(awk "BEGIN { print $one / $alone }")"
}

# warm-up: the first run unpacks the job jar's natives
edit_seconds warmup 'local[2]' >/dev/null
OMP_WAIT_POLICY=PASSIVE measure viaspark
OMP_WAIT_POLICY= measure libtorch-default --set model.cpu-threads="$(nproc)"
