#!/usr/bin/env python3
"""Renders the HTML incident brief in headless chromium and checks the screenshot.

Usage: html_report_screenshot.py BLASTMAP DATASET OUTDIR

Imports DATASET into a fresh store, writes OUTDIR/brief.html (`blast salesloft --format html`, whose
subgraph has access and flow edges) and OUTDIR/replay.html (`replay mixpanel-2025 --format html`),
screenshots each with Debian's chromium into OUTDIR/*.png (kept as artefacts) and fails when a screenshot
is missing, is not a PNG of the expected size, or is blank (nearly one colour). Uses only the standard
library: the PNG is decoded here (8-bit RGB/RGBA, non-interlaced, as chromium writes it).
"""
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

WIDTH, HEIGHT = 1200, 1800


def png_pixels(path):
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {color}, interlace {interlace})")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def check_screenshot(path):
    width, height, bpp, rows = png_pixels(path)
    if (width, height) != (WIDTH, HEIGHT):
        return f"{path}: {width}x{height}, expected {WIDTH}x{HEIGHT}"
    colours, dark = {}, 0
    for row in rows[::4]:
        for x in range(0, width * bpp, bpp * 4):
            px = row[x:x + 3]
            colours[px] = colours.get(px, 0) + 1
            dark += sum(px) < 200
    total = sum(colours.values())
    top = max(colours.values())
    if top > 0.995 * total or dark < 50:
        return f"{path}: blank ({len(colours)} colours, {dark} dark samples of {total})"
    return None


def main():
    binary, dataset, outdir = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not found: run scripts/install-deps.sh")
        return 1
    outdir.mkdir(parents=True, exist_ok=True)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "acme.db"
        subprocess.run([binary, "import", dataset, "--db", str(db), "-q"], check=True)
        reports = {
            "brief": [binary, "blast", "salesloft", "--format", "html", "--db", str(db)],
            "replay": [binary, "replay", "mixpanel-2025", "--format", "html", "--db", str(db)],
        }
        for name, cmd in reports.items():
            html = outdir / f"{name}.html"
            png = outdir / f"{name}.png"
            png.unlink(missing_ok=True)
            html.write_bytes(subprocess.run(cmd, check=True, capture_output=True).stdout)
            profile = Path(tmp) / f"profile-{name}"
            subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 "--hide-scrollbars", f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={png}",
                 html.resolve().as_uri()],
                capture_output=True, timeout=120)
            if not png.exists():
                failures.append(f"{png}: no screenshot produced")
                continue
            problem = check_screenshot(png)
            if problem:
                failures.append(problem)
            else:
                print(f"ok {png} ({png.stat().st_size} bytes)")
    for f in failures:
        print("FAIL", f)
    print(f"{len(reports) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
