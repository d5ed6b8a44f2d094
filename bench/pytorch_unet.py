#!/usr/bin/env python3
"""PyTorch eager baseline for `viaspark bench unet` (benchmark helper, not part of the test suite).

A compact, self-written eager implementation of diffusers' UNet2DConditionModel for Stable Diffusion 1.x
(CrossAttnDownBlock2D / DownBlock2D, UNetMidBlock2DCrossAttn, CrossAttnUpBlock2D / UpBlock2D), built from a diffusers
unet/config.json. Module and parameter names equal the diffusers checkpoint keys, so load_state_dict() accepts a real
diffusion_pytorch_model.safetensors. Attention is the plain softmax(q k^T * d^-0.5) v of diffusers' AttnProcessor
(the path diffusers takes on torch < 2, which has no scaled_dot_product_attention), with bmm instead of baddbmm.

  --check [DIR]   DIR = the testvectors folder (default src/test/resources/testvectors): loads the tiny checkpoint
                  and compares with the reference outputs of vectors/unet.safetensors (cases a..f and a's intermediates).
  --bench         --unet-config FILE --height 32 --width 32 --batch 3 --iters N --warmup 1 --threads 2:
                  random weights, float32, inference mode; prints each iteration and median_ms=<x> last.

Needs PyTorch and NumPy, e.g. Debian's: apt-get install -y python3-torch python3-numpy (then run /usr/bin/python3).
"""
import argparse
import json
import math
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


# ---------------------------------------------------------------------------------------------------------- layers
class Timesteps(nn.Module):
    """Sinusoidal embedding: freqs = exp(-ln(10000) i / (half - shift)), float32; [cos, sin] when flipped."""

    def __init__(self, channels, flip_sin_to_cos=True, freq_shift=0):
        super().__init__()
        self.channels, self.flip, self.shift = channels, flip_sin_to_cos, freq_shift

    def forward(self, t):
        half = self.channels // 2
        exponent = -math.log(10000) * torch.arange(half, dtype=torch.float32, device=t.device) / (half - self.shift)
        args = t[:, None].float() * torch.exp(exponent)[None, :]
        sin, cos = torch.sin(args), torch.cos(args)
        emb = torch.cat([cos, sin] if self.flip else [sin, cos], dim=-1)
        if self.channels % 2 == 1:
            emb = F.pad(emb, (0, 1))
        return emb


class TimestepEmbedding(nn.Module):
    def __init__(self, in_dim, dim):
        super().__init__()
        self.linear_1 = nn.Linear(in_dim, dim)
        self.act = nn.SiLU()
        self.linear_2 = nn.Linear(dim, dim)

    def forward(self, x):
        return self.linear_2(self.act(self.linear_1(x)))


class ResnetBlock2D(nn.Module):
    def __init__(self, cin, cout, temb_dim, groups, eps):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=eps)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb_dim, cout)
        self.norm2 = nn.GroupNorm(groups, cout, eps=eps)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.conv_shortcut is None else self.conv_shortcut(x)) + h


class Attention(nn.Module):
    def __init__(self, query_dim, heads, head_dim, context_dim=None):
        super().__init__()
        inner = heads * head_dim
        self.heads, self.scale = heads, head_dim ** -0.5
        self.to_q = nn.Linear(query_dim, inner, bias=False)
        self.to_k = nn.Linear(context_dim or query_dim, inner, bias=False)
        self.to_v = nn.Linear(context_dim or query_dim, inner, bias=False)
        self.to_out = nn.ModuleList([nn.Linear(inner, query_dim), nn.Dropout(0.0)])

    def _split(self, x):  # [B, L, h*d] -> [B*h, L, d]
        b, n, c = x.shape
        return x.reshape(b, n, self.heads, c // self.heads).permute(0, 2, 1, 3).reshape(b * self.heads, n, -1)

    def forward(self, x, context=None):
        ctx = x if context is None else context
        q, k, v = self._split(self.to_q(x)), self._split(self.to_k(ctx)), self._split(self.to_v(ctx))
        # the scale goes on q (d values per row, not L_k): diffusers' baddbmm(empty, q, k^T, beta=0, alpha=scale)
        # returns random NaNs on torch < 2.1 CPU for small matrices (pytorch/pytorch#80588, fixed by #96086)
        scores = torch.bmm(q * self.scale, k.transpose(1, 2))
        out = torch.bmm(scores.softmax(dim=-1), v)
        bh, n, d = out.shape
        out = out.reshape(bh // self.heads, self.heads, n, d).permute(0, 2, 1, 3).reshape(bh // self.heads, n, -1)
        return self.to_out[1](self.to_out[0](out))


class GEGLU(nn.Module):
    def __init__(self, dim, inner):
        super().__init__()
        self.proj = nn.Linear(dim, inner * 2)

    def forward(self, x):
        h, gate = self.proj(x).chunk(2, dim=-1)  # first half is the value
        return h * F.gelu(gate)  # exact (erf) gelu


class FeedForward(nn.Module):
    def __init__(self, dim, mult=4):
        super().__init__()
        self.net = nn.ModuleList([GEGLU(dim, dim * mult), nn.Dropout(0.0), nn.Linear(dim * mult, dim)])

    def forward(self, x):
        for m in self.net:
            x = m(x)
        return x


class BasicTransformerBlock(nn.Module):
    def __init__(self, dim, heads, head_dim, context_dim):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-5)
        self.attn1 = Attention(dim, heads, head_dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-5)
        self.attn2 = Attention(dim, heads, head_dim, context_dim)
        self.norm3 = nn.LayerNorm(dim, eps=1e-5)
        self.ff = FeedForward(dim)

    def forward(self, x, context):
        x = self.attn1(self.norm1(x)) + x
        x = self.attn2(self.norm2(x), context) + x
        return self.ff(self.norm3(x)) + x


class Transformer2DModel(nn.Module):
    """GroupNorm(eps 1e-6) -> 1x1 conv proj_in -> [B, H*W, C] -> transformer blocks -> 1x1 conv proj_out -> + input."""

    def __init__(self, channels, heads, context_dim, groups, layers=1):
        super().__init__()
        head_dim = channels // heads
        inner = heads * head_dim
        self.norm = nn.GroupNorm(groups, channels, eps=1e-6)
        self.proj_in = nn.Conv2d(channels, inner, 1)
        self.transformer_blocks = nn.ModuleList(
            [BasicTransformerBlock(inner, heads, head_dim, context_dim) for _ in range(layers)])
        self.proj_out = nn.Conv2d(inner, channels, 1)

    def forward(self, x, context):
        b, _, h, w = x.shape
        y = self.proj_in(self.norm(x))
        c = y.shape[1]
        y = y.permute(0, 2, 3, 1).reshape(b, h * w, c)
        for blk in self.transformer_blocks:
            y = blk(y, context)
        y = y.reshape(b, h, w, c).permute(0, 3, 1, 2).contiguous()
        return self.proj_out(y) + x


class Downsample2D(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x)


class Upsample2D(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x, size=None):
        if size is None:
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        else:
            x = F.interpolate(x, size=size, mode="nearest")
        return self.conv(x)


# ---------------------------------------------------------------------------------------------------------- blocks
class DownBlock(nn.Module):
    """CrossAttnDownBlock2D (heads given) or DownBlock2D (heads None). Returns (hidden, skip states)."""

    def __init__(self, cin, cout, temb_dim, layers, groups, eps, heads, context_dim, downsample):
        super().__init__()
        self.resnets = nn.ModuleList(
            [ResnetBlock2D(cin if i == 0 else cout, cout, temb_dim, groups, eps) for i in range(layers)])
        if heads is not None:
            self.attentions = nn.ModuleList(
                [Transformer2DModel(cout, heads, context_dim, groups) for _ in range(layers)])
        else:
            self.attentions = None
        self.downsamplers = nn.ModuleList([Downsample2D(cout)]) if downsample else None

    def forward(self, x, temb, context):
        skips = []
        for i, resnet in enumerate(self.resnets):
            x = resnet(x, temb)
            if self.attentions is not None:
                x = self.attentions[i](x, context)
            skips.append(x)
        if self.downsamplers is not None:
            x = self.downsamplers[0](x)
            skips.append(x)
        return x, skips


class UpBlock(nn.Module):
    """CrossAttnUpBlock2D (heads given) or UpBlock2D (heads None): concat [hidden, skip] before each resnet."""

    def __init__(self, cin, cprev, cout, temb_dim, layers, groups, eps, heads, context_dim, upsample):
        super().__init__()
        self.resnets = nn.ModuleList()
        for i in range(layers):
            skip_ch = cin if i == layers - 1 else cout
            self.resnets.append(ResnetBlock2D((cprev if i == 0 else cout) + skip_ch, cout, temb_dim, groups, eps))
        if heads is not None:
            self.attentions = nn.ModuleList(
                [Transformer2DModel(cout, heads, context_dim, groups) for _ in range(layers)])
        else:
            self.attentions = None
        self.upsamplers = nn.ModuleList([Upsample2D(cout)]) if upsample else None

    def forward(self, x, skips, temb, context, upsample_size=None):
        for i, resnet in enumerate(self.resnets):
            x = resnet(torch.cat([x, skips.pop()], dim=1), temb)
            if self.attentions is not None:
                x = self.attentions[i](x, context)
        if self.upsamplers is not None:
            x = self.upsamplers[0](x, upsample_size)
        return x


class UNetMidBlock2DCrossAttn(nn.Module):
    def __init__(self, channels, temb_dim, groups, eps, heads, context_dim):
        super().__init__()
        self.resnets = nn.ModuleList([ResnetBlock2D(channels, channels, temb_dim, groups, eps) for _ in range(2)])
        self.attentions = nn.ModuleList([Transformer2DModel(channels, heads, context_dim, groups)])

    def forward(self, x, temb, context):
        x = self.resnets[0](x, temb)
        for attn, resnet in zip(self.attentions, self.resnets[1:]):
            x = resnet(attn(x, context), temb)
        return x


class UNet2DConditionModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        boc = list(cfg["block_out_channels"])
        n = len(boc)
        lpb = cfg.get("layers_per_block", 2)
        groups, eps = cfg.get("norm_num_groups", 32), cfg.get("norm_eps", 1e-5)
        ctx = cfg["cross_attention_dim"]
        heads = cfg.get("num_attention_heads") or cfg.get("attention_head_dim", 8)  # legacy name: = number of heads
        heads = list(heads) if isinstance(heads, (list, tuple)) else [heads] * n
        for key, want in (("use_linear_projection", False), ("only_cross_attention", False),
                          ("dual_cross_attention", False), ("upcast_attention", False), ("class_embed_type", None),
                          ("addition_embed_type", None), ("resnet_time_scale_shift", "default")):
            if cfg.get(key) not in (want, None):
                raise ValueError(f"unsupported config: {key}={cfg[key]!r} (this baseline covers SD 1.x)")
        if cfg.get("mid_block_type", "UNetMidBlock2DCrossAttn") != "UNetMidBlock2DCrossAttn":
            raise ValueError(f"unsupported mid_block_type {cfg['mid_block_type']}")
        temb_dim = boc[0] * 4
        self.conv_in = nn.Conv2d(cfg.get("in_channels", 4), boc[0], 3, padding=1)
        self.time_proj = Timesteps(boc[0], cfg.get("flip_sin_to_cos", True), cfg.get("freq_shift", 0))
        self.time_embedding = TimestepEmbedding(boc[0], temb_dim)

        self.down_blocks = nn.ModuleList()
        cout = boc[0]
        for i, kind in enumerate(cfg["down_block_types"]):
            cin, cout = cout, boc[i]
            if kind not in ("CrossAttnDownBlock2D", "DownBlock2D"):
                raise ValueError(f"unsupported down block {kind}")
            self.down_blocks.append(DownBlock(cin, cout, temb_dim, lpb, groups, eps,
                                              heads[i] if kind == "CrossAttnDownBlock2D" else None, ctx, i < n - 1))
        self.mid_block = UNetMidBlock2DCrossAttn(boc[-1], temb_dim, groups, eps, heads[-1], ctx)

        self.up_blocks = nn.ModuleList()
        rboc, rheads = boc[::-1], heads[::-1]
        cout = rboc[0]
        for i, kind in enumerate(cfg["up_block_types"]):
            cprev, cout, cin = cout, rboc[i], rboc[min(i + 1, n - 1)]
            if kind not in ("CrossAttnUpBlock2D", "UpBlock2D"):
                raise ValueError(f"unsupported up block {kind}")
            self.up_blocks.append(UpBlock(cin, cprev, cout, temb_dim, lpb + 1, groups, eps,
                                          rheads[i] if kind == "CrossAttnUpBlock2D" else None, ctx, i < n - 1))
        self.conv_norm_out = nn.GroupNorm(groups, boc[0], eps=eps)
        self.conv_act = nn.SiLU()
        self.conv_out = nn.Conv2d(boc[0], cfg.get("out_channels", 4), 3, padding=1)

    def forward(self, sample, timestep, context):
        t = torch.as_tensor(timestep, device=sample.device)
        t = t.reshape(1) if t.ndim == 0 else t
        t = t.expand(sample.shape[0])
        temb = self.time_embedding(self.time_proj(t).to(sample.dtype))
        x = self.conv_in(sample)
        skips = [x]
        for blk in self.down_blocks:
            x, s = blk(x, temb, context)
            skips.extend(s)
        x = self.mid_block(x, temb, context)
        for blk in self.up_blocks:
            mine = skips[-len(blk.resnets):]
            del skips[-len(blk.resnets):]
            # up-samplers go to the exact size of the next skip (= plain x2 when the size divides by 2**depth)
            x = blk(x, mine, temb, context, tuple(skips[-1].shape[2:]) if skips else None)
        return self.conv_out(self.conv_act(self.conv_norm_out(x)))


# ------------------------------------------------------------------------------------------------------ safetensors
_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32,
           "U8": np.uint8, "I8": np.int8, "BOOL": np.bool_, "BF16": np.uint16}


def read_safetensors(path):
    """{name: torch tensor}; 8-byte LE header length, JSON header, then little-endian data. BF16 is widened to F32."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        arr = np.frombuffer(data, dtype=np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<"),
                            count=(end - begin) // np.dtype(_DTYPES[info["dtype"]]).itemsize, offset=begin)
        if info["dtype"] == "BF16":
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        out[name] = torch.from_numpy(arr.astype(arr.dtype.newbyteorder("="), copy=True).reshape(info["shape"]))
    return out


def load_unet(folder):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    model = UNet2DConditionModel(cfg)
    sd = {k: v.float() for k, v in read_safetensors(os.path.join(folder, "diffusion_pytorch_model.safetensors")).items()}
    model.load_state_dict(sd, strict=True)
    return model.eval(), cfg


# ------------------------------------------------------------------------------------------------------------ modes
def check(testvectors):
    model, _ = load_unet(os.path.join(testvectors, "checkpoint", "unet"))
    v = read_safetensors(os.path.join(testvectors, "vectors", "unet.safetensors"))
    ehs = v["encoder_hidden_states"]
    cases = {"a": (v["sample"], v["a.timestep"], ehs), "b": (v["sample"], v["b.timesteps"], ehs),
             "c": (v["sample"], v["c.timestep"], ehs), "d": (v["sample"], v["d.timestep"], ehs),
             "e": (v["e.sample"], v["e.timestep"], ehs[:2]), "f": (v["f.sample"], v["f.timestep"], ehs[:1])}
    captured = {}
    names = [k[len("a.intermediate."):] for k in v if k.startswith("a.intermediate.")]
    mods = dict(model.named_modules())
    hooks = [mods[name].register_forward_hook(
        lambda m, i, o, name=name: captured.__setitem__(name, o[0] if isinstance(o, tuple) else o)) for name in names]
    ok = True
    print(f"torch {torch.__version__}; checkpoint {testvectors}/checkpoint/unet (strict load_state_dict ok)")
    with torch.inference_mode():
        for case, (sample, t, ctx) in cases.items():
            out = model(sample, t, ctx)
            ref = v[f"{case}.out"]
            diff = (out - ref).abs().max().item()
            tol = 1e-4 * max(1.0, ref.abs().max().item())
            ok &= diff < tol
            print(f"case {case}: out {list(out.shape)} t={t.tolist()} max|diff|={diff:.3e} "
                  f"max|ref|={ref.abs().max().item():.3f} tol={tol:.1e} {'OK' if diff < tol else 'FAIL'}")
            if case == "a":
                for name in sorted(names):
                    ref_i = v[f"a.intermediate.{name}"]
                    d = (captured[name] - ref_i).abs().max().item()
                    tol_i = 1e-4 * max(1.0, ref_i.abs().max().item())
                    ok &= d < tol_i
                    print(f"  a.intermediate.{name}: max|diff|={d:.3e} {'OK' if d < tol_i else 'FAIL'}")
                for h in hooks:
                    h.remove()
    print("check: PASS" if ok else "check: FAIL")
    return 0 if ok else 1


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def blas_library():
    """The BLAS shared library this process loaded (Debian's torch links libblas.so.3, chosen by alternatives)."""
    try:
        libs = {line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and ".so" in line}
        return ", ".join(sorted(os.path.realpath(p) for p in libs)) or "none loaded"
    except OSError:
        return "unknown"


def bench(args):
    torch.set_num_threads(args.threads)
    cfg = json.load(open(args.unet_config))
    torch.manual_seed(0)
    t0 = time.perf_counter()
    model = UNet2DConditionModel(cfg).eval()
    build_s = time.perf_counter() - t0
    print(f"pytorch {torch.__version__} eager, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs "
          f"({cpu_model()}); BLAS {blas_library()}; mkldnn {torch.backends.mkldnn.is_available()}")
    heads = cfg.get("num_attention_heads") or cfg.get("attention_head_dim")
    print(f"unet {args.unet_config}: blocks {cfg['block_out_channels']}, heads {heads}, "
          f"cross {cfg['cross_attention_dim']}, in {cfg.get('in_channels', 4)}; batch {args.batch}, "
          f"latents {args.height}x{args.width}, float32; {sum(p.numel() for p in model.parameters())} params, "
          f"built with random weights in {build_s:.1f} s")
    g = torch.Generator().manual_seed(1)
    sample = torch.randn(args.batch, cfg.get("in_channels", 4), args.height, args.width, generator=g)
    context = torch.randn(args.batch, 77, cfg["cross_attention_dim"], generator=g)
    t = torch.tensor(999.0)
    times = []
    with torch.inference_mode():
        for i in range(args.warmup + args.iters):
            s = time.perf_counter()
            out = model(sample, t, context)
            out.numpy()  # the result on the host, as the Java side does with toFloatArray()
            ms = (time.perf_counter() - s) * 1e3
            if i >= args.warmup:
                times.append(ms)
            print(f"{'warm-up' if i < args.warmup else 'iter'} {i if i < args.warmup else i - args.warmup}: "
                  f"{ms:.1f} ms", flush=True)
    print(f"median_ms={statistics.median(times):.1f}")
    return 0


def flops(args):
    """Floating-point operations of one forward, as counted by PyTorch's profiler (convolutions, matrix products,
    elementwise ops with a known formula); one multiply-add counts as 2."""
    torch.set_num_threads(args.threads)
    cfg = json.load(open(args.unet_config))
    torch.manual_seed(0)
    model = UNet2DConditionModel(cfg).eval()
    g = torch.Generator().manual_seed(1)
    sample = torch.randn(args.batch, cfg.get("in_channels", 4), args.height, args.width, generator=g)
    context = torch.randn(args.batch, 77, cfg["cross_attention_dim"], generator=g)
    with torch.inference_mode(), torch.profiler.profile(with_flops=True) as prof:
        model(sample, torch.tensor(999.0), context)
    by_op = {}
    for e in prof.events():
        if e.flops:
            by_op[e.name] = by_op.get(e.name, 0) + e.flops
    for name, f in sorted(by_op.items(), key=lambda kv: -kv[1]):
        print(f"{name}: {f / 1e9:.2f} GFLOP")
    print(f"unet {args.unet_config}: batch {args.batch}, latents {args.height}x{args.width}")
    print(f"gflops={sum(by_op.values()) / 1e9:.2f}")
    return 0


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", nargs="?", const=os.path.join(root, "src/test/resources/testvectors"), metavar="DIR",
                      help="testvectors folder (default: %(const)s)")
    mode.add_argument("--bench", action="store_true")
    mode.add_argument("--flops", action="store_true", help="count the FLOPs of one forward")
    p.add_argument("--unet-config")
    p.add_argument("--height", type=int, default=32)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--batch", type=int, default=3)
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    args = p.parse_args()
    if args.check is not None:
        return check(args.check)
    if not args.unet_config:
        p.error("--bench and --flops need --unet-config FILE")
    return flops(args) if args.flops else bench(args)


if __name__ == "__main__":
    sys.exit(main())
