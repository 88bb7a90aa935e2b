#!/usr/bin/env python3
"""Exit 0 when the top band of a PNG (a plot's title) holds text: enough dark pixels in many grey levels (anti-aliased
glyphs), else 1. Used by scripts/tool-smoke.sh on plots the installed tool drew with every font folder hidden.
Reads 8-bit RGB or RGBA, non-interlaced (what SkiaSharp writes), with the standard library only.
usage: png_has_text.py FILE [ROWS]"""
import struct
import sys
import zlib


def rows(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, f"unsupported PNG: depth {depth}, colour type {color}"
    bpp = 3 if color == 2 else 4
    raw, stride, prev = zlib.decompress(idat), width * bpp, bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        yield [tuple(line[x * bpp:x * bpp + 3]) for x in range(width)]
        prev = line


def main():
    path, band = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 36
    pixels = [p for y, row in enumerate(rows(path)) if y < band for p in row]
    dark = [p for p in pixels if max(p) < 110]
    greys = {p[0] for p in pixels if p[0] == p[1] == p[2] and p[0] < 250}
    ok = len(dark) > 150 and len(greys) > 10
    print(f"{path}: {len(dark)} dark pixels in {len(greys)} grey levels in the top {band} rows: {'text' if ok else 'NO TEXT'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
