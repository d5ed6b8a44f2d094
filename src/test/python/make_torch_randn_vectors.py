#!/usr/bin/env python3
"""Writes the reference draws of PyTorch's CPU generator that TorchNoiseTest compares with.

Run once, by hand, with Debian's python3-torch (1.13): never part of the build.

    /usr/bin/python3 src/test/python/make_torch_randn_vectors.py src/test/resources/torch-generator

For each seed, one torch.Generator().manual_seed(seed) draws torch.randn(shape, generator=g) for
every shape of SHAPES in order, so that the file also records how the generator's state (and the
float64 value cached between small draws) carries from one draw to the next. Sizes straddle the
16-value threshold of the vectorised kernel and leave tails of every kind.

Which Box-Muller kernel PyTorch uses for 16 values or more depends on the CPU capability it
dispatches to: the AVX2 one (Cephes-style log/sincos), which TorchNoise reproduces, on an AVX2
machine without AVX-512 or under ATEN_CPU_CAPABILITY=avx2; the C library's logf/sinf/cosf
otherwise (ATEN_CPU_CAPABILITY=default shows it: about 40% of the values differ in their last
bits). Output: randn-<kernel>.safetensors (float32, one tensor per draw, named seed<S>.draw<K>) and
randn-<kernel>.json (the kernel, the draws in order, the torch version and the CPU's extensions).
"""
import os
import json
import struct
import sys
from pathlib import Path

import torch

SEEDS = [0, 1, 42, 1234, 2**32 + 7]
SHAPES = [(1,), (3,), (15,), (16,), (17,), (7,), (31,), (33,), (1, 4, 8, 8), (2, 3, 5), (5,),
          (1, 4, 64, 64), (2,), (1, 4, 6, 10)]


def cpu_flags():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            return sorted(f for f in flags if f.startswith("avx") or f == "fma")
    return []


def write_safetensors(path, tensors):
    header = {}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        data = t.contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


def kernel():
    forced = os.environ.get("ATEN_CPU_CAPABILITY", "").lower()
    if forced:
        return "avx2" if forced == "avx2" else "scalar"
    flags = cpu_flags()
    return "avx2" if "avx2" in flags and "avx512f" not in flags else "scalar"


def main(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    kind = kernel()
    tensors = {}
    draws = []
    for seed in SEEDS:
        g = torch.Generator().manual_seed(seed)
        for k, shape in enumerate(SHAPES):
            name = f"seed{seed}.draw{k}"
            tensors[name] = torch.randn(shape, generator=g, dtype=torch.float32)
            draws.append({"name": name, "seed": seed, "shape": list(shape)})
    write_safetensors(out / f"randn-{kind}.safetensors", tensors)
    meta = {"call": "torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float32)",
            "kernel": kind, "torch": torch.__version__, "cpu_vector_extensions": cpu_flags(),
            "aten_cpu_capability": os.environ.get("ATEN_CPU_CAPABILITY", ""), "draws": draws}
    (out / f"randn-{kind}.json").write_text(json.dumps(meta, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
