#!/usr/bin/env python3
"""Which white shape an edit of the old demo scene recoloured, frame by frame.

The demo's scene before 2026-12-06 (held-out toy scene 24) has a white circle and a white square; "make the circle
red" should change the first only. For each frame this finds the white shapes of the source (near-white connected
regions of more than 15 pixels; a region filling 90% or more of its bounding box is the square, else the circle),
measures the mean absolute change of each between source and edit, and calls the frame 'circle' (circle changed by
more than 80, square by less than 40), 'square' (the reverse), 'both' or 'none'. It prints the counts, the number of
switches between consecutive frames, one letter per frame, and the same verdict for the anchor previews if a folder
of them is given.

usage: bench/demo-regions.py SOURCE EDITED [ANCHOR_FOLDER]   (needs ffmpeg and numpy)
"""
import glob
import os
import re
import subprocess
import sys
from collections import deque

import numpy as np

SIZE = 64


def frames(path):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, SIZE, SIZE, 3).astype(np.int32)


def regions(mask):
    label = np.zeros(mask.shape, int)
    found = []
    for y in range(SIZE):
        for x in range(SIZE):
            if not mask[y, x] or label[y, x]:
                continue
            label[y, x] = len(found) + 1
            queue, points = deque([(y, x)]), []
            while queue:
                a, b = queue.popleft()
                points.append((a, b))
                for c in range(a - 1, a + 2):
                    for d in range(b - 1, b + 2):
                        if 0 <= c < SIZE and 0 <= d < SIZE and mask[c, d] and not label[c, d]:
                            label[c, d] = len(found) + 1
                            queue.append((c, d))
            found.append(points)
    return [p for p in found if len(p) > 15]


def verdict(source, edited):
    change = {}
    for points in regions(source.min(axis=2) > 200):
        ys = np.array([p[0] for p in points])
        xs = np.array([p[1] for p in points])
        fill = len(points) / ((np.ptp(ys) + 1) * (np.ptp(xs) + 1))
        change["circle" if fill < 0.9 else "square"] = np.abs(edited[ys, xs] - source[ys, xs]).mean()
    circle, square = change.get("circle", 0), change.get("square", 0)
    if circle > 80 and square < 40:
        return "circle"
    if square > 80 and circle < 40:
        return "square"
    return "both" if circle > 80 else "none"


def main():
    source, edited = frames(sys.argv[1]), frames(sys.argv[2])
    labels = [verdict(source[t], edited[t]) for t in range(len(source))]
    counts = {k: labels.count(k) for k in ("circle", "square", "both", "none")}
    switches = sum(labels[t] != labels[t - 1] for t in range(1, len(labels)))
    print("frames:", counts, "switches:", switches)
    print("".join(label[0] for label in labels))
    if len(sys.argv) > 3:
        for f in sorted(glob.glob(os.path.join(sys.argv[3], "anchor-*.png"))):
            index = int(re.findall(r"(\d+)", os.path.basename(f))[0])
            print("anchor", index, verdict(source[index], frames(f)[0]))


if __name__ == "__main__":
    main()
