#!/usr/bin/env python3
"""Build the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from the repository's own
examples and parser fixtures; nothing is copied into git. Run from anywhere:

    python3 tools/fuzz-corpus.py

* decode, paste_split, analyze_file: every example file and every parser fixture, as is.
* parse_<family>: each fixture of crates/parse/fixtures/<module>/, prefixed with the byte that
  selects (in fuzz/src/lib.rs's family list) each format whose parser lives in <module>.
* open_zip: every example folder zipped (as a bundle or CollectLogs zip would be).
"""
import hashlib
import io
import os
import re
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def files_under(top):
    for d, _, names in os.walk(top):
        for n in sorted(names):
            yield os.path.join(d, n)


def put(target, data):
    out = os.path.join(CORPUS, target)
    os.makedirs(out, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def families():
    """Family name -> list of format ids, read from fuzz/src/lib.rs (one source of truth)."""
    src = open(os.path.join(ROOT, "fuzz", "src", "lib.rs"), encoding="utf-8").read()
    fams = {}
    for m in re.finditer(r"pub const (\w+): &\[&str\] = &\[(.*?)\];", src, re.S):
        fams[m.group(1).lower()] = re.findall(r'"([^"]+)"', m.group(2))
    return fams


def module_of_format():
    """Format id -> parser module, read from crates/parse/src/formats.rs."""
    src = open(os.path.join(ROOT, "crates", "parse", "src", "formats.rs"), encoding="utf-8").read()
    out = {}
    for m in re.finditer(r'id: "([^"]+)".*?parse: crate::(\w+)::', src, re.S):
        out[m.group(1)] = m.group(2)
    return out


def main():
    fixtures = os.path.join(ROOT, "crates", "parse", "fixtures")
    examples = os.path.join(ROOT, "examples")
    plain = [p for p in files_under(fixtures)] + [
        p for p in files_under(examples) if not p.endswith((".py", "README.md"))
    ]
    for p in plain:
        data = open(p, "rb").read()
        for t in ("decode", "paste_split", "analyze_file"):
            put(t, data)
    modules = module_of_format()
    for fam, ids in families().items():
        for i, fid in enumerate(ids):
            mod_dir = os.path.join(fixtures, modules.get(fid, "-"))
            if not os.path.isdir(mod_dir):
                continue
            for p in files_under(mod_dir):
                text = open(p, "rb").read()
                # Parsers get decoded text: seed UTF-16 fixtures as UTF-8.
                for enc, bom in (("utf-16", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
                    if text.startswith(bom):
                        text = text[2:].decode("utf-16-le" if enc == "utf-16" else enc, "replace").encode()
                put("parse_" + fam, bytes([i]) + text)
    for d in sorted(os.listdir(examples)):
        full = os.path.join(examples, d)
        if not os.path.isdir(full):
            continue
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p in files_under(full):
                z.write(p, os.path.join(d, os.path.relpath(p, full)))
        put("open_zip", buf.getvalue())
    for t in sorted(os.listdir(CORPUS)):
        print(f"{t}: {len(os.listdir(os.path.join(CORPUS, t)))} seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
