#!/usr/bin/env bash
# Benchmark (not part of the test suite): frames per second of the whole viaspark pipeline with the identity
# editor on a generated 60 s 640x360 25 fps video, per stage, against Debian's ffmpeg transcoding the same file
# with the same encoder (mpeg4: Debian's ffmpeg has no OpenH264) at the same bitrate, audio copied.
# Needs Debian's ffmpeg (apt-get install ffmpeg). Usage: bench/pipeline-vs-ffmpeg.sh [WORKDIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/viaspark-bench}"
rm -rf "$work/out-h264" "$work/out-mpeg4" "$work/ffmpeg.mp4"
mkdir -p "$work/in"
src="$work/in/clip.mp4"
[ -f "$src" ] || "$root/job/viaspark" generate --output "$src" --seconds 60 --size 640x360 --fps 25 --gop 50 >/dev/null
frames=1500
# the bitrate viaspark derives for 640x360 at 25 fps with output.bits-per-pixel = 0.1
bitrate=$((640 * 360 * 25 / 10))

run_viaspark() { # codec
  local start end
  start=$(date +%s.%N)
  "$root/job/viaspark" edit --input "$src" --output "$work/out-$1" --editor identity \
    --set output.codec="$1" --set video.segment-frames=250 --set job.progress-interval=0 >/dev/null
  end=$(date +%s.%N)
  python3 - "$work/out-$1/report.jsonl" "$start" "$end" "$frames" "$1" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
wall = float(sys.argv[3]) - float(sys.argv[2]); n = int(sys.argv[4])
print(f"viaspark {sys.argv[5]}: wall {wall:.2f} s incl. JVM+Spark start = {n/wall:.1f} fps; task seconds: "
      f"probe {r['secondsProbe']:.2f}, decode {r['secondsDecode']:.2f}, edit {r['secondsEdit']:.2f}, "
      f"encode {r['secondsEncode']:.2f}, assemble {r['secondsAssemble']:.2f}")
dec_enc = r['secondsDecode'] + r['secondsEncode']
print(f"  decode+encode task seconds {dec_enc:.2f} = {n/dec_enc:.1f} fps per core")
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
run_viaspark h264
run_viaspark mpeg4
start=$(date +%s.%N)
ffmpeg -v error -y -i "$src" -c:v mpeg4 -b:v "$bitrate" -bf 0 -g 50 -c:a copy "$work/ffmpeg.mp4"
end=$(date +%s.%N)
python3 -c "import sys; w=float(sys.argv[2])-float(sys.argv[1]); print(f'ffmpeg mpeg4 (default threads): wall {w:.2f} s = {1500/w:.1f} fps')" "$start" "$end"
start=$(date +%s.%N)
ffmpeg -v error -y -threads 1 -i "$src" -c:v mpeg4 -threads 1 -b:v "$bitrate" -bf 0 -g 50 -c:a copy "$work/ffmpeg.mp4"
end=$(date +%s.%N)
python3 -c "import sys; w=float(sys.argv[2])-float(sys.argv[1]); print(f'ffmpeg mpeg4 (1 thread): wall {w:.2f} s = {1500/w:.1f} fps')" "$start" "$end"
start=$(date +%s.%N)
ffmpeg -v error -y -threads 1 -i "$src" -vf format=rgb24,format=yuv420p -c:v mpeg4 -threads 1 -b:v "$bitrate" -bf 0 -g 50 -c:a copy "$work/ffmpeg.mp4"
end=$(date +%s.%N)
python3 -c "import sys; w=float(sys.argv[2])-float(sys.argv[1]); print(f'ffmpeg mpeg4 via RGB24 like viaspark (1 thread): wall {w:.2f} s = {1500/w:.1f} fps')" "$start" "$end"
