#!/usr/bin/python3
"""Builds the web client's fonts from Debian's font packages (run by CMake at build time).

  ui-latin.ttf  Latin UI font (Noto Sans from fonts-noto-core, else DejaVu Sans), cut down to
                Latin-1, punctuation, currency and arrows.
  ui-lang.ttf   just the glyphs of the language switch ("中文"), loaded with the Latin font so that
                an English screen offering Chinese does not fetch the whole CJK font.
  ui-cjk.ttf    Chinese subset (WenQuanYi Micro Hei from fonts-wqy-microhei, else Noto Sans CJK SC
                from fonts-noto-cjk): every CJK character in the UI strings, program presets and
                demo data, plus the 3,755 GB2312 level-1 common characters (enough for most names),
                CJK punctuation and full-width forms. Fetched by the client only when Chinese is on
                screen.
Each output also gets a .gz beside it (the server sends it with Content-Encoding: gzip).

usage: make_fonts.py --out DIR --latin SRC[,SRC...] --cjk SRC[#index][,...] --text FILE...
"""
import argparse
import gzip
import os
import re
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

LATIN_UNICODES = "U+0020-007E,U+00A0-00FF,U+2010-205E,U+20A0-20CF,U+2190-21FF,U+2212,U+25A0-25FF"
CJK_FIXED = "U+3000-303F,U+FF01-FF5E,U+FFE0-FFE6,U+00B7,U+2014,U+2018-201D,U+2026"

LANG_SWITCH = "\u4e2d\u6587"  # 中文: keep in sync with FontManager::kLangSwitch

CJK_RE = re.compile("[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def first_existing(spec):
    for item in spec.split(","):
        path, _, index = item.partition("#")
        if os.path.exists(path):
            return path, int(index or 0)
    sys.exit("make_fonts.py: none of these fonts exists: %s (install the font packages: scripts/setup)" % spec)


def gb2312_level1():
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def text_chars(files):
    chars = set()
    for f in files:
        with open(f, encoding="utf-8", errors="ignore") as fh:
            data = fh.read()
        # C++ sources may spell characters as \xE4\xB8\xAD escapes: decode runs of them too.
        for run in re.findall(r"(?:\\x[0-9A-Fa-f]{2})+", data):
            try:
                data += bytes(int(h, 16) for h in re.findall(r"\\x([0-9A-Fa-f]{2})", run)).decode("utf-8")
            except UnicodeDecodeError:
                pass
        chars.update(CJK_RE.findall(data))
    return chars


def load(path, index):
    if path.lower().endswith((".ttc", ".otc")):
        return TTCollection(path, lazy=False).fonts[index]
    return TTFont(path, lazy=False)


def make(src, index, unicodes, text, out):
    font = load(src, index)
    opts = subset.Options()
    opts.layout_features = []   # no shaping features: ImGui draws glyph by glyph
    opts.hinting = False
    opts.desubroutinize = True
    opts.name_IDs = ["*"]       # keep the licence and names
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.drop_tables += ["FFTM", "DSIG"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes, text=text)
    sub.subset(font)
    tmp = out + ".tmp"
    font.save(tmp)
    os.replace(tmp, out)
    with open(out, "rb") as fh:
        data = fh.read()
    with gzip.open(out + ".gz.tmp", "wb", compresslevel=9) as gz:
        gz.write(data)
    os.replace(out + ".gz.tmp", out + ".gz")
    return len(data), os.path.getsize(out + ".gz")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--latin", required=True)
    ap.add_argument("--cjk", required=True)
    ap.add_argument("--text", nargs="*", default=[])
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    latin_src, latin_idx = first_existing(a.latin)
    raw, gz = make(latin_src, latin_idx, subset.parse_unicodes(LATIN_UNICODES), "", os.path.join(a.out, "ui-latin.ttf"))
    print("fonts: ui-latin.ttf from %s: %d bytes (%d gzip)" % (os.path.basename(latin_src), raw, gz))

    cjk_src, cjk_idx = first_existing(a.cjk)
    raw, gz = make(cjk_src, cjk_idx, [], LANG_SWITCH, os.path.join(a.out, "ui-lang.ttf"))
    print("fonts: ui-lang.ttf (%s) from %s: %d bytes (%d gzip)" % (LANG_SWITCH, os.path.basename(cjk_src), raw, gz))

    chars = set(gb2312_level1()) | text_chars(a.text)
    raw, gz = make(cjk_src, cjk_idx, subset.parse_unicodes(CJK_FIXED), "".join(sorted(chars)),
                   os.path.join(a.out, "ui-cjk.ttf"))
    print("fonts: ui-cjk.ttf from %s: %d characters, %d bytes (%d gzip)" % (os.path.basename(cjk_src), len(chars), raw, gz))


if __name__ == "__main__":
    main()
