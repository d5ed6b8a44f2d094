#!/usr/bin/env bash
# Benchmark (not part of the test suite): frames per second of the whole viaspark pipeline with the identity
# editor on a generated 60 s 640x360 25 fps video, per stage, against Debian's ffmpeg transcoding the same file
# with the same encoder (mpeg4: Debian's ffmpeg has no OpenH264) at the same bitrate, audio copied; and, for
# comparison, an RGB editor (opencv:grayscale) and ffmpeg converting through RGB24 the way RGB editors need.
# Each round runs viaspark and ffmpeg back to back; RUNS rounds (default 3), and the summary takes the best of each
# (timings on a shared machine are noisy; the best run is the one least disturbed).
# Needs Debian's ffmpeg (apt-get install ffmpeg). Usage: [RUNS=3] bench/pipeline-vs-ffmpeg.sh [WORKDIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/viaspark-bench}"
runs="${RUNS:-3}"
mkdir -p "$work/in"
src="$work/in/clip.mp4"
[ -f "$src" ] || "$root/job/viaspark" generate --output "$src" --seconds 60 --size 640x360 --fps 25 --gop 50 >/dev/null
frames=1500
# the bitrate viaspark derives for 640x360 at 25 fps with output.bits-per-pixel = 0.1
bitrate=$((640 * 360 * 25 / 10))
results="$work/results.tsv"
: >"$results"

run_viaspark() { # name editor codec
  local name="$1" editor="$2" codec="$3" start end
  rm -rf "$work/out-$name"
  start=$(date +%s.%N)
  "$root/job/viaspark" edit --input "$src" --output "$work/out-$name" --editor "$editor" \
    --set output.codec="$codec" --set video.segment-frames=250 --set job.progress-interval=0 >/dev/null
  end=$(date +%s.%N)
  python3 - "$work/out-$name/report.jsonl" "$start" "$end" "$frames" "$name" "$results" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
wall = float(sys.argv[3]) - float(sys.argv[2]); n = int(sys.argv[4]); name = sys.argv[5]
print(f"viaspark {name}: wall {wall:.2f} s incl. JVM+Spark start = {n/wall:.1f} fps; task seconds: "
      f"probe {r['secondsProbe']:.2f}, decode {r['secondsDecode']:.2f}, edit {r['secondsEdit']:.2f}, "
      f"encode {r['secondsEncode']:.2f}, assemble {r['secondsAssemble']:.2f}")
dec_enc = r['secondsDecode'] + r['secondsEncode']
print(f"  decode+encode task seconds {dec_enc:.2f} = {n/dec_enc:.1f} fps per core")
with open(sys.argv[6], "a") as f:
    f.write(f"viaspark {name} (decode+encode per core)\t{n/dec_enc:.1f}\n")
    f.write(f"viaspark {name} (whole job wall)\t{n/wall:.1f}\n")
PY
}

run_ffmpeg() { # name ffmpeg-args...
  local name="$1" start end
  shift
  start=$(date +%s.%N)
  ffmpeg -v error -y "$@" "$work/ffmpeg.mp4"
  end=$(date +%s.%N)
  python3 - "$start" "$end" "$frames" "$name" "$results" <<'PY'
import sys
w = float(sys.argv[2]) - float(sys.argv[1]); n = int(sys.argv[3])
print(f"ffmpeg {sys.argv[4]}: wall {w:.2f} s = {n/w:.1f} fps")
with open(sys.argv[5], "a") as f:
    f.write(f"ffmpeg {sys.argv[4]}\t{n/w:.1f}\n")
PY
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
for round in $(seq 1 "$runs"); do
  echo "round $round of $runs"
  run_viaspark h264 identity h264
  run_viaspark mpeg4 identity mpeg4
  # an RGB editor for comparison: its frames take the YUV->RGB->YUV path (the edit's own time is in secondsEdit,
  # not in decode or encode; gray frames have flat chroma, which makes them a little cheaper to encode)
  run_viaspark mpeg4-grayscale opencv:grayscale mpeg4
  run_ffmpeg "mpeg4 (default threads)" -i "$src" -c:v mpeg4 -b:v "$bitrate" -bf 0 -g 50 -c:a copy
  run_ffmpeg "mpeg4 (1 thread)" -threads 1 -i "$src" -c:v mpeg4 -threads 1 -b:v "$bitrate" -bf 0 -g 50 -c:a copy
  run_ffmpeg "mpeg4 via RGB24 like viaspark's RGB path (1 thread)" -threads 1 -i "$src" \
    -vf format=rgb24,format=yuv420p -c:v mpeg4 -threads 1 -b:v "$bitrate" -bf 0 -g 50 -c:a copy
done

echo "best of $runs rounds (frames/s):"
python3 - "$results" <<'PY'
import sys
best = {}
for line in open(sys.argv[1]):
    name, fps = line.rstrip("\n").split("\t")
    best[name] = max(best.get(name, 0.0), float(fps))
for name, fps in best.items():
    print(f"  {name}: {fps:.1f}")
v = best["viaspark mpeg4 (decode+encode per core)"]; f = best["ffmpeg mpeg4 (1 thread)"]
print(f"viaspark mpeg4 decode+encode per core / ffmpeg mpeg4 1 thread = {v / f:.2f}x (goal: 0.8x)")
PY
