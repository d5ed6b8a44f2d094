#!/usr/bin/env bash
# Benchmark (not part of the test suite): the edit stage's per-segment decode -> encode loop without Spark
# (bench/SegmentLoop.java), in the RGB path of RGB editors and in identity's pass-through of decoded frames, on the
# clip bench/pipeline-vs-ffmpeg.sh generates. JAVA_OPTS go to the JVM (e.g. -Xmx1g).
# Usage: [ROUNDS=4] [THREADS=1] [CODEC=mpeg4] [JAVA_OPTS=...] bench/segment-loop.sh [WORKDIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/viaspark-bench}"
mkdir -p "$work/in"
src="$work/in/clip.mp4"
[ -f "$src" ] || "$root/job/viaspark" generate --output "$src" --seconds 60 --size 640x360 --fps 25 --gop 50 >/dev/null
"$root/job/viaspark" --help >/dev/null 2>&1 || true # builds the job jar when it is missing or stale
cp="$root/job/target/viaspark.jar:$(cat "$root/job/target/provided-classpath.txt")"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
for mode in rgb decoded; do
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -cp "$cp" "$root/bench/SegmentLoop.java" "$src" "${CODEC:-mpeg4}" "$mode" "${ROUNDS:-4}" \
    "${THREADS:-1}" 2>&1 | grep -v WARN
done
