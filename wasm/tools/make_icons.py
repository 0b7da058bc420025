#!/usr/bin/env python3
"""Draws the portal's home-screen icons (PNG, no image library): a member card on the brand green.

  make_icons.py --out DIR        writes DIR/icon-192.png, icon-512.png (full-bleed: safe as maskable)
"""
import argparse
import os
import struct
import zlib

GREEN = (0x1B, 0x6E, 0x5A)
DARK = (0x0B, 0x54, 0x43)
WHITE = (0xFF, 0xFF, 0xFF)
GOLD = (0xE8, 0xB8, 0x3A)


def inside_round_rect(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def colour_at(u, v):
    """Colour at (u, v) in 0..1 icon coordinates. The card sits inside the maskable safe zone."""
    x0, y0, x1, y1 = 0.22, 0.31, 0.78, 0.69
    if inside_round_rect(u, v, x0, y0, x1, y1, 0.05):
        if 0.39 <= v <= 0.45:
            return DARK  # magnetic stripe
        if (u - 0.33) ** 2 + (v - 0.57) ** 2 <= 0.045 ** 2:
            return GOLD  # chip
        if 0.44 <= u <= 0.70 and 0.545 <= v <= 0.595:
            return (0xC9, 0xD8, 0xD3)  # name line
        return WHITE
    return GREEN


def render(size, samples=3):
    rows = []
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            acc = [0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    c = colour_at((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
                    acc[0] += c[0]
                    acc[1] += c[1]
                    acc[2] += c[2]
            n = samples * samples
            row += bytes((acc[0] // n, acc[1] // n, acc[2] // n))
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, raw):
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for size in (192, 512):
        data = png(size, render(size, 3 if size <= 192 else 2))
        tmp = os.path.join(args.out, "icon-%d.png.tmp" % size)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(args.out, "icon-%d.png" % size))


if __name__ == "__main__":
    main()
