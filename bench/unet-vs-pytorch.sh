#!/usr/bin/env bash
# Benchmark (not part of the test suite): one UNet2DConditionModel forward (float32, CPU, random weights, batch 3,
# 32x32 latents, t = 999) in viaspark (`job/viaspark bench unet`) against a PyTorch eager implementation of the same
# model (bench/pytorch_unet.py, checked against the diffusers reference vectors with `--check`), one after the other,
# for the tiny test-vector config and for the real InstructPix2Pix (SD 1.5) config.
# Needs PyTorch + NumPy for Python; on Debian: apt-get install -y python3-torch python3-numpy.
# Usage: bench/unet-vs-pytorch.sh [TINY_ITERS (5)] [SD15_ITERS (3)]
#   PYTHON=...   the interpreter that has torch (default: the first of python3, /usr/bin/python3 that imports it)
#   THREADS=N    PyTorch threads for the Python side (default: OMP_NUM_THREADS, else nproc); viaspark uses the threads
#                its bundled libtorch chooses (OMP_NUM_THREADS too)
#   BLAS_DIR=DIR a folder with another libblas.so.3 for the Python side only (LD_LIBRARY_PATH). Debian's torch calls
#                the system libblas.so.3 for Linear/bmm, and with only libblas3 installed that is the slow reference
#                BLAS; e.g. `apt-get download libopenblas0-openmp && dpkg -x libopenblas0-openmp_*.deb /tmp/ob` and
#                BLAS_DIR=/tmp/ob/usr/lib/x86_64-linux-gnu/openblas-openmp (or install it system-wide)
#   WORK=DIR     where the logs go (default /tmp/viaspark-bench-unet)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tiny_iters="${1:-5}"
sd_iters="${2:-3}"
work="${WORK:-/tmp/viaspark-bench-unet}"
threads="${THREADS:-${OMP_NUM_THREADS:-$(nproc)}}"
mkdir -p "$work"

python=""
for candidate in ${PYTHON:-python3 /usr/bin/python3}; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import torch, numpy' >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  if dpkg-query -W -f='${Status}' python3-torch 2>/dev/null | grep -q 'install ok installed'; then
    echo "python3-torch is installed but no interpreter here imports it: run with PYTHON=/usr/bin/python3" >&2
  else
    echo "PyTorch for Python is not installed. On Debian: apt-get install -y python3-torch python3-numpy" >&2
    echo "(then run this script again; it uses /usr/bin/python3 when python3 on PATH has no torch)" >&2
  fi
  exit 1
fi

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC')"
pyenv=(env)
[ -n "${BLAS_DIR:-}" ] && pyenv+=("LD_LIBRARY_PATH=$BLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
echo "python: $python ($("$python" -c 'import torch; print("torch", torch.__version__)')), threads $threads"

# run NAME CMD...: prints the output as it comes, keeps it in $work/NAME.log, sets $median and $cores
# ($cores = (user+sys)/wall of the whole process, start-up and weight init included: how many cores it kept busy)
run() {
  local name="$1" timing
  shift
  echo "--- $name: $*"
  TIMEFORMAT='%R %U %S'
  timing=$( { time "$@" 2>"$work/$name.err" | tee "$work/$name.log" >&3 ; } 2>&1 ) || {
    echo "$name failed; stderr:" >&2
    cat "$work/$name.err" >&2
    exit 1
  }
  median="$(grep '^median_ms=' "$work/$name.log" | tail -1 | cut -d= -f2)"
  cores="$(echo "$timing" | tail -1 | awk '{ printf "%.2f", ($2 + $3) / $1 }')"
}

exec 3>&1 # run() shows the output live on fd 3 while it captures the timing
declare -a rows
for spec in "tiny:src/test/resources/testvectors/checkpoint/unet/config.json:$tiny_iters" \
            "sd15-ip2p:bench/configs/instruct-pix2pix-unet.json:$sd_iters"; do
  IFS=: read -r label config iters <<<"$spec"
  run "viaspark-$label" "$root/job/viaspark" bench unet --unet-config "$root/$config" \
    --height 32 --width 32 --batch 3 --iters "$iters" --warmup 1
  v_ms="$median" v_cores="$cores"
  run "pytorch-$label" "${pyenv[@]}" "$python" "$root/bench/pytorch_unet.py" --bench --unet-config "$root/$config" \
    --height 32 --width 32 --batch 3 --iters "$iters" --warmup 1 --threads "$threads"
  p_ms="$median" p_cores="$cores"
  rows+=("$(awk -v l="$label" -v i="$iters" -v v="$v_ms" -v p="$p_ms" -v vc="$v_cores" -v pc="$p_cores" \
    'BEGIN { printf "%-10s %5d %14.1f %14.1f %16.2f %11s %11s", l, i, v, p, v / p, vc, pc }')")
done

echo
echo "UNet forward, float32, batch 3, 32x32 latents, median of N iterations after 1 warm-up"
printf '%-10s %5s %14s %14s %16s %11s %11s\n' config N viaspark_ms pytorch_ms viaspark/pytorch v_cores p_cores
printf '%s\n' "${rows[@]}"
echo "(viaspark/pytorch < 1: viaspark is faster; *_cores = average busy cores of the whole process; logs in $work)"
if grep -q 'BLAS [^;]*/blas/libblas\.so' "$work/pytorch-tiny.log"; then
  echo "note: the PyTorch side ran on the reference (netlib) BLAS, which makes its Linear/bmm slow: see BLAS_DIR above"
fi
