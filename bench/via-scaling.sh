#!/usr/bin/env bash
# Benchmark (not part of the test suite): how gather-and-swap's stage 2 scales from 1 to 2 executor cores on local
# Spark. One generated clip (FRAMES frames of SIZE, a keyframe every 4 frames, segments of 4 frames) is edited with
# the ip2p editor and via.enabled=true three times: local[1] with 1 libtorch thread, local[1] with 2 threads (one task
# using both cores), local[2] with 1 thread per task (two segments at once). Prints the wall seconds of the gather
# and edit stages ("[viaspark] ... stage: S s" lines of the job) and the edit tasks' summed seconds from report.jsonl.
# Usage: bench/via-scaling.sh
#   MODEL=DIR   a diffusers folder (default: the mid-size random UNet of bench/configs/mid-unet.json with the tiny
#               test checkpoint's other components, written once by `job/viaspark bench random-unet`)
#   FRAMES=N (16)  SIZE=WxH (128x128)  STEPS=N (10)  WORK=DIR (/tmp/viaspark-bench-via)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK:-/tmp/viaspark-bench-via}"
frames="${FRAMES:-16}"
size="${SIZE:-128x128}"
steps="${STEPS:-10}"
mkdir -p "$work"
model="${MODEL:-$work/mid-model}"
if [ ! -d "$model" ]; then
  "$root/job/viaspark" bench random-unet --from "$root/src/test/resources/testvectors/checkpoint" \
    --unet-config "$root/bench/configs/mid-unet.json" --output "$model" 2>/dev/null
fi
clip="$work/clip-$frames-$size.mp4"
[ -f "$clip" ] || "$root/job/viaspark" generate --output "$clip" --seconds "$(awk "BEGIN { print $frames / 8 }")" \
  --size "$size" --fps 8 --gop 4 >/dev/null 2>&1
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); model $model;"\
  "$frames frames $size, $steps steps, segments of 4 frames"

run() {
  local name="$1" master="$2" threads="$3"
  local out="$work/out-$name"
  rm -rf "$out"
  "$root/job/viaspark" edit --input "$clip" --set model.cpu-threads="$threads" \
    --output "$out" --editor ip2p --instruction "make it winter" --set model.path="$model" \
    --set edit.steps="$steps" --set via.enabled=true --set video.segment-frames=4 --set output.codec=ffv1 \
    --set spark.master="$master" --set job.progress-interval=0 > "$work/$name.log" 2>&1
  local gather edit tasks
  gather=$(grep -o 'gather stage: [0-9.]*' "$work/$name.log" | awk '{print $3}')
  edit=$(grep -o 'edit stage: [0-9.]*' "$work/$name.log" | awk '{print $3}')
  tasks=$(grep -o '"secondsEdit":[0-9.]*' "$out/report.jsonl" | cut -d: -f2)
  printf '%-28s gather_s=%s edit_stage_s=%s edit_task_s=%s\n' "$name ($master, $threads thr)" "$gather" "$edit" \
    "$tasks"
}

run local1-1thread 'local[1]' 1
run local1-2threads 'local[1]' 2
run local2-1thread 'local[2]' 1
