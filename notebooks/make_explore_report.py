#!/usr/bin/python3
"""Writes explore_report.ipynb (no outputs) next to this script.

The notebook's source of truth: change the cells here and rerun `/usr/bin/python3 notebooks/make_explore_report.py`
(Debian's Python with python3-nbformat). Code cells carry tags that ReportNotebookTest uses to find them.
"""
import os

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = []


def md(text):
    CELLS.append(new_markdown_cell(text.strip()))


def code(tag, text):
    cell = new_code_cell(text.strip(), metadata={"tags": [tag]})
    cell.id = tag
    CELLS.append(cell)


md("""
# Explore a viaspark report

Reads the report of one `job/viaspark edit` (or `demo`) run, `report.parquet` or `report.jsonl` in the job's output
folder (one row per input video), and shows:

1. the per-video table and a summary of the failures;
2. the task seconds of each stage per video;
3. the temporal-consistency scores (when `report.temporal-metrics` was on);
4. a few frames of some edited videos, input above output.

Headless: `VIASPARK_OUTPUT=OUTPUT /usr/bin/python3 -m nbconvert --to notebook --execute --output /tmp/executed.ipynb
notebooks/explore_report.ipynb` (see `notebooks/README.md`).
""")

md("""
## Parameters

`OUTPUT` is the job's `--output` folder, from the environment variable `VIASPARK_OUTPUT`; the default is where
`job/viaspark demo` writes. A relative path is tried from the working directory, then from the repository root
(Jupyter runs the notebook in `notebooks/`). Edit the values here to explore another run.
""")

code("parameters", '''
import os

OUTPUT = os.environ.get("VIASPARK_OUTPUT", "./viaspark-demo/output")  # the job's output folder (path or file: URI)
STRIP_VIDEOS = 3        # how many edited videos get a before/after frame strip
STRIP_FRAMES = 4        # frames per strip, evenly spaced over the video
MAX_CHART_VIDEOS = 40   # the charts show at most this many videos (the slowest ones)
FFMPEG = os.environ.get("VIASPARK_FFMPEG", "ffmpeg")  # the ffmpeg program that extracts frames
''')

md("""
## Setup

Imports, and `show(fig)`, which renders a matplotlib figure as an inline PNG whatever the backend (`MPLBACKEND=Agg`
included). `local_path` turns the report's paths (`file:` URIs or plain paths) into local paths, and returns `None`
for other schemes (`s3a:`, `hdfs:`), which this notebook cannot open.
""")

code("setup", '''
import io
import json
import shutil
import subprocess
import tempfile
from urllib.parse import unquote, urlparse

import pandas as pd
from IPython.display import Image, display
from matplotlib.figure import Figure

pd.set_option("display.max_colwidth", 120)
pd.set_option("display.max_rows", 200)


def show(fig):
    """Displays a figure as one PNG output."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    display(Image(data=buf.getvalue(), format="png"))


def local_path(uri):
    """A local path for a plain path or file: URI; None for any other scheme."""
    if uri is None or (isinstance(uri, float) and pd.isna(uri)) or str(uri) == "":
        return None
    parsed = urlparse(str(uri))
    if parsed.scheme == "file":
        return unquote(parsed.path)
    if parsed.scheme == "" or len(parsed.scheme) == 1:  # plain path (a one-letter scheme is a drive letter)
        return str(uri)
    return None


def file_name(uri):
    return "(none)" if uri is None or (isinstance(uri, float) and pd.isna(uri)) else str(uri).rstrip("/").rsplit("/", 1)[-1]
''')

md("""
## Load the report

`report.parquet` needs `pyarrow`; without it (Debian bookworm has no `python3-pyarrow`) the notebook reads
`report.jsonl`, which holds the same rows. The cell says which one it read.
""")

code("load-report", '''
def find_output(folder):
    path = local_path(folder)
    if path is None:
        raise ValueError(f"{folder}: only local folders can be read here; copy the report first")
    tries = [path] if os.path.isabs(path) else [path, os.path.join("..", path)]
    for p in tries:
        if os.path.isfile(os.path.join(p, "report.jsonl")) or os.path.isdir(os.path.join(p, "report.parquet")):
            return os.path.abspath(p)
    raise FileNotFoundError(f"no report.jsonl or report.parquet in {' or '.join(os.path.abspath(p) for p in tries)}"
                            " (set VIASPARK_OUTPUT to a job's output folder)")


def read_report(folder):
    parquet, jsonl = os.path.join(folder, "report.parquet"), os.path.join(folder, "report.jsonl")
    try:
        import pyarrow  # noqa: F401
        why = None
    except ImportError:
        why = "pyarrow is not installed"
    if why is None and os.path.isdir(parquet):
        try:
            return pd.read_parquet(parquet, engine="pyarrow"), parquet, None
        except Exception as e:  # a damaged dataset: the JSON lines hold the same rows
            why = f"reading report.parquet failed ({e})"
    elif why is None:
        why = "there is no report.parquet"
    with open(jsonl, encoding="utf-8") as f:  # json, not pd.read_json: keeps strings such as settingsHash as written
        rows = [json.loads(line) for line in f if line.strip()]
    return pd.DataFrame.from_records(rows), jsonl, why


folder = find_output(OUTPUT)
report, source, why = read_report(folder)
print(f"read {source}: {len(report)} rows" + (f" ({why}, so report.jsonl)" if why else ""))

STAGES = ["secondsProbe", "secondsGather", "secondsDecode", "secondsEdit", "secondsEncode", "secondsMetrics",
          "secondsAssemble"]
METRICS = ["warpError", "sourceWarpError", "frameDiff", "sourceFrameDiff", "scoredPairs"]
NUMBERS = ["frames", "segments", "segmentsReused", "durationSeconds", "fps", "width", "height", "bankBytes"]
TEXTS = ["input", "output", "status", "error", "instruction", "editor", "codec", "settingsHash"]
for c in TEXTS + NUMBERS + STAGES + METRICS:  # older reports may lack a column: empty, not an error
    if c not in report.columns:
        report[c] = None
for c in NUMBERS + STAGES + METRICS:
    report[c] = pd.to_numeric(report[c], errors="coerce")
report["name"] = report["input"].map(file_name)
report = report.sort_values("name", kind="stable").reset_index(drop=True)
''')

md("""
## Per-video table

One row per input: its status and error, frames, keyframe-aligned segments, frame rate, size, editor and
instruction. `name` is the input's file name; the folders are printed above the table.
""")

code("video-table", '''
folders = sorted({str(i).rsplit("/", 1)[0] for i in report["input"].dropna() if "/" in str(i)})
print("inputs from: " + ", ".join(folders) if folders else "inputs: (no folders)")
print(f"outputs in: {folder}")


def size(row):
    w, h = row["width"], row["height"]
    return f"{int(w)}x{int(h)}" if pd.notna(w) and pd.notna(h) and w > 0 and h > 0 else ""


table = pd.DataFrame({
    "input": report["name"],
    "status": report["status"],
    "error": report["error"].fillna(""),
    "frames": report["frames"].astype("Int64"),
    "segments": report["segments"].astype("Int64"),
    "fps": report["fps"].round(3),
    "size": report.apply(size, axis=1),
    "editor": report["editor"].fillna(""),
    "instruction": report["instruction"].fillna(""),
    "output": report["output"].map(lambda o: "" if o is None or pd.isna(o) else file_name(o)),
})
display(table)
''')

md("""
## Failures

Counts by status (`ok`, `failed`, `skipped`: finished by an earlier run), then every failed video with its error.
""")

code("failures", '''
counts = report["status"].fillna("(none)").value_counts()
print(", ".join(f"{n} {s}" for s, n in counts.items()) + f" of {len(report)} videos")
failed = report[report["status"] == "failed"]
if failed.empty:
    print("no failed videos")
else:
    print(f"\\n{len(failed)} failed:")
    for _, r in failed.iterrows():
        print(f"- {r['name']}: {r['error']}")
''')

md("""
## Time per stage

Task seconds of each stage, stacked per video: probe, gather (gather-and-swap stage 1), decode, edit, encode,
quality metrics, assemble. They are summed over a video's tasks (its segments run in parallel), so they measure
work, not wall-clock time. Videos skipped by a rerun did no work.
""")

code("stage-chart", '''
times = report.set_index("name")[STAGES].fillna(0.0)
times = times.loc[times.sum(axis=1) > 0]
if times.empty:
    print("no stage times in this report (every video failed early or was skipped)")
else:
    totals = times.sum().rename(lambda c: c.replace("seconds", "").lower())
    print("task seconds, all videos: " + ", ".join(f"{k} {v:.3f}" for k, v in totals.items() if v > 0))
    if len(times) > MAX_CHART_VIDEOS:
        print(f"showing the {MAX_CHART_VIDEOS} slowest of {len(times)} videos")
        times = times.loc[times.sum(axis=1).sort_values(ascending=False).index[:MAX_CHART_VIDEOS]]
    fig = Figure(figsize=(9, 1.2 + 0.4 * len(times)))
    ax = fig.subplots()
    left = pd.Series(0.0, index=times.index)
    for stage in STAGES:
        if times[stage].sum() > 0:
            ax.barh(times.index, times[stage], left=left, label=stage.replace("seconds", "").lower())
            left += times[stage]
    ax.invert_yaxis()
    ax.set_xlabel("task seconds")
    ax.set_title("time per stage")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    show(fig)
''')

md("""
## Quality metrics

Temporal consistency, mean absolute RGB difference (0-255) over `scoredPairs` consecutive frame pairs:
`warpError` compares each output frame with the previous one warped by the source's optical flow, and
`sourceWarpError` does the same on the source, the floor a perfectly consistent edit comes close to;
`frameDiff` / `sourceFrameDiff` are the plain consecutive-frame differences. Empty when `report.temporal-metrics`
was off (its default `auto` scores diffusion editors only).
""")

code("quality-chart", '''
scored = report.loc[report["warpError"].notna(), ["name"] + METRICS].set_index("name")
if scored.empty:
    print("no quality metrics in this report: report.temporal-metrics was off "
          "(or auto with a classical editor); rerun with --set report.temporal-metrics=on to score")
else:
    scored["excessWarpError"] = scored["warpError"] - scored["sourceWarpError"]
    scored["scoredPairs"] = scored["scoredPairs"].astype("Int64")
    display(scored.round(3))
    if len(scored) > MAX_CHART_VIDEOS:
        print(f"charting the {MAX_CHART_VIDEOS} videos with the largest excess warp error of {len(scored)}")
        scored = scored.sort_values("excessWarpError", ascending=False).head(MAX_CHART_VIDEOS)
    fig = Figure(figsize=(11, 1.5 + 0.4 * len(scored)))
    axes = fig.subplots(1, 2, sharey=True)
    rows = range(len(scored))
    for ax, (out, src, title) in zip(axes, [("warpError", "sourceWarpError", "warp error"),
                                             ("frameDiff", "sourceFrameDiff", "frame difference")]):
        ax.barh([y - 0.2 for y in rows], scored[out], height=0.4, label="output")
        ax.barh([y + 0.2 for y in rows], scored[src], height=0.4, label="source")
        ax.set_title(title)
        ax.set_xlabel("mean abs. difference (0-255)")
        ax.legend()
    axes[0].set_yticks(list(rows))
    axes[0].set_yticklabels(scored.index)
    axes[0].invert_yaxis()
    show(fig)
''')

md("""
## Before/after frame strips

For the first `STRIP_VIDEOS` edited videos (`ok`, then `skipped` ones, whose outputs an earlier run made),
`STRIP_FRAMES` frames at evenly spaced times, input above output. Frames are extracted with the `ffmpeg` program
(Debian package `ffmpeg`) into a temporary folder, or with OpenCV's Python bindings (`python3-opencv`) when there
is no ffmpeg; without either the cell says so and shows nothing. Outputs are `.mp4` or `.mkv` (ffv1); videos on
other filesystems than the local one are skipped.
""")

code("frame-helpers", '''
def frame_backend():
    if shutil.which(FFMPEG):
        return "ffmpeg"
    try:
        import cv2  # noqa: F401
        return "opencv"
    except ImportError:
        return None


def frames_ffmpeg(path, times, tmp):
    import matplotlib.image
    images = []
    for i, t in enumerate(times):
        png = os.path.join(tmp, f"{i:03d}.png")
        cmd = [FFMPEG, "-nostdin", "-v", "error", "-ss", f"{t:.3f}", "-i", path, "-frames:v", "1", "-an", "-y", png]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or not os.path.isfile(png):
            raise RuntimeError(f"ffmpeg gave no frame at {t:.2f} s of {path}: {done.stderr.strip()[-300:]}")
        images.append(matplotlib.image.imread(png))
    return images


def frames_opencv(path, times):
    import cv2
    cap = cv2.VideoCapture(path)
    try:
        if not cap.isOpened():
            raise RuntimeError(f"OpenCV cannot open {path}")
        images = []
        for t in times:
            cap.set(cv2.CAP_PROP_POS_MSEC, t * 1000.0)
            ok, bgr = cap.read()
            if not ok:
                raise RuntimeError(f"OpenCV read no frame at {t:.2f} s of {path}")
            images.append(bgr[:, :, ::-1])
        return images
    finally:
        cap.release()


def extract(path, times, backend):
    if backend == "ffmpeg":
        with tempfile.TemporaryDirectory(prefix="viaspark-frames-") as tmp:
            return frames_ffmpeg(path, times, tmp)
    return frames_opencv(path, times)


def strip_times(row, n):
    duration = row["durationSeconds"]
    if not (pd.notna(duration) and duration > 0) and pd.notna(row["fps"]) and row["fps"] > 0:
        duration = row["frames"] / row["fps"]
    if not (pd.notna(duration) and duration > 0):
        return [0.0]
    return [duration * (i + 0.5) / n for i in range(n)]
''')

code("frame-strips", '''
backend = frame_backend()
edited = pd.concat([report[report["status"] == "ok"], report[report["status"] == "skipped"]])
if backend is None:
    print(f"no frame strips: neither the ffmpeg program ({FFMPEG!r} is not on PATH; apt-get install ffmpeg) "
          "nor OpenCV's Python bindings (python3-opencv) are available")
elif edited.empty:
    print("no frame strips: no video was edited")
else:
    print(f"frames extracted with {backend}")
    for _, row in edited.head(STRIP_VIDEOS).iterrows():
        src, dst = local_path(row["input"]), local_path(row["output"])
        label = f"{row['name']} -> {file_name(row['output'])}"
        if src is None or dst is None:
            print(f"{label}: skipped, not on the local filesystem ({row['input']}, {row['output']})")
            continue
        missing = [p for p in (src, dst) if not os.path.isfile(p)]
        if missing:
            print(f"{label}: skipped, no such file: {', '.join(missing)}")
            continue
        times = strip_times(row, STRIP_FRAMES)
        try:
            before, after = extract(src, times, backend), extract(dst, times, backend)
        except Exception as e:  # one unreadable video must not stop the others
            print(f"{label}: could not extract frames: {e}")
            continue
        print(f"{label}: frames at " + ", ".join(f"{t:.2f}" for t in times) + " s")
        h, w = before[0].shape[:2]
        cols = len(times)
        fig = Figure(figsize=(2.4 * cols, 2 * 2.4 * h / w + 0.8))
        axes = fig.subplots(2, cols, squeeze=False, gridspec_kw={"hspace": 0.05, "wspace": 0.05})
        for c in range(cols):
            for r, (images, what) in enumerate([(before, "input"), (after, "output")]):
                ax = axes[r][c]
                ax.imshow(images[c])
                ax.set_xticks([])
                ax.set_yticks([])
                if r == 0:
                    ax.set_title(f"{times[c]:.2f} s", fontsize=9)
                if c == 0:
                    ax.set_ylabel(what)
        instruction = row["instruction"] if isinstance(row["instruction"], str) and row["instruction"] else ""
        fig.suptitle(f"{label} ({row['editor']}{': ' + instruction if instruction else ''})", fontsize=10)
        show(fig)
''')

nb = new_notebook(cells=CELLS, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
})
for i, cell in enumerate(nb.cells):
    if cell.cell_type == "markdown":
        cell.id = f"md-{i:02d}"
nbformat.validate(nb)
target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "explore_report.ipynb")
nbformat.write(nb, target)
print(f"wrote {target}")
