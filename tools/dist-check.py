#!/usr/bin/env python3
"""Check what tools/dist.sh wrote into DIR; exit 1 with one line per problem.

* exactly one hnsdoctor-<version>-x86_64-pc-windows-gnu.zip, whose members are
  <stem>/hnsdoctor.exe, README.md, LICENSE, LICENSE-MIT, LICENSE-APACHE, SHA256SUMS.txt;
* the exe is a Windows PE file (MZ … PE\\0\\0, machine x86-64);
* SHA256SUMS.txt lists every other member with its real SHA-256;
* <zip>.sha256, the scoop manifest's `hash` and the winget manifest's `InstallerSha256` all
  equal the zip's SHA-256; both manifests carry the zip's version and point at the zip's name.
"""

import glob
import hashlib
import json
import os
import re
import struct
import sys
import zipfile

EXPECTED = {"hnsdoctor.exe", "README.md", "LICENSE", "LICENSE-MIT", "LICENSE-APACHE",
            "SHA256SUMS.txt"}


def main(d: str) -> int:
    problems = []
    zips = glob.glob(os.path.join(d, "hnsdoctor-*-x86_64-pc-windows-gnu.zip"))
    if len(zips) != 1:
        print(f"dist-check: expected one zip in {d}, found {zips}")
        return 1
    zp = zips[0]
    name = os.path.basename(zp)
    stem = name[:-len(".zip")]
    version = stem[len("hnsdoctor-"):-len("-x86_64-pc-windows-gnu")]
    digest = hashlib.sha256(open(zp, "rb").read()).hexdigest()

    with zipfile.ZipFile(zp) as z:
        names = z.namelist()
        got = {n[len(stem) + 1:] for n in names if n.startswith(stem + "/")}
        if len(got) != len(names):
            problems.append(f"members outside {stem}/: {names}")
        if got != EXPECTED:
            problems.append(f"zip members {sorted(got)} != {sorted(EXPECTED)}")
        data = {n: z.read(f"{stem}/{n}") for n in got}
    exe = data.get("hnsdoctor.exe", b"")
    if exe[:2] != b"MZ" or len(exe) < 0x40:
        problems.append("hnsdoctor.exe is not a PE file (no MZ header)")
    else:
        pe = struct.unpack_from("<I", exe, 0x3C)[0]
        if exe[pe:pe + 4] != b"PE\0\0" or struct.unpack_from("<H", exe, pe + 4)[0] != 0x8664:
            problems.append("hnsdoctor.exe is not an x86-64 PE file")
    sums = {}
    for line in data.get("SHA256SUMS.txt", b"").decode().splitlines():
        h, _, f = line.partition("  ")
        sums[f] = h
    for n, content in data.items():
        if n == "SHA256SUMS.txt":
            continue
        if sums.get(n) != hashlib.sha256(content).hexdigest():
            problems.append(f"SHA256SUMS.txt: wrong or missing hash for {n}")

    side = open(zp + ".sha256").read().split()
    if side != [digest, name]:
        problems.append(f"{name}.sha256 says {side}, zip is {digest}")

    scoop = json.load(open(os.path.join(d, "hnsdoctor.json")))
    if scoop.get("hash") != digest:
        problems.append(f"scoop hash {scoop.get('hash')} != zip {digest}")
    if scoop.get("version") != version:
        problems.append(f"scoop version {scoop.get('version')} != {version}")
    if not str(scoop.get("url", "")).endswith("/" + name):
        problems.append(f"scoop url {scoop.get('url')} does not name {name}")
    if scoop.get("extract_dir") != stem or scoop.get("bin") != "hnsdoctor.exe":
        problems.append("scoop extract_dir/bin do not match the zip layout")

    winget = open(os.path.join(d, "hnsdoctor.winget.yaml")).read()

    def field(k):
        m = re.search(rf"^[\s-]*{k}:\s*(\S+)\s*$", winget, re.M)
        return m.group(1) if m else None
    if (field("InstallerSha256") or "").lower() != digest:
        problems.append(f"winget InstallerSha256 {field('InstallerSha256')} != zip {digest}")
    if field("PackageVersion") != version:
        problems.append(f"winget PackageVersion {field('PackageVersion')} != {version}")
    if not (field("InstallerUrl") or "").endswith("/" + name):
        problems.append(f"winget InstallerUrl {field('InstallerUrl')} does not name {name}")
    if field("RelativeFilePath") != f"{stem}\\hnsdoctor.exe":
        problems.append(f"winget RelativeFilePath {field('RelativeFilePath')} is not in the zip")

    krew = open(os.path.join(d, "hnsdoctor.krew.yaml")).read()

    def kfield(k):
        m = re.search(rf"^[\s-]*{k}:\s*\"?([^\"\s]+)\"?\s*$", krew, re.M)
        return m.group(1) if m else None
    if kfield("sha256") != digest:
        problems.append(f"krew sha256 {kfield('sha256')} != zip {digest}")
    if not (kfield("uri") or "").endswith("/" + name):
        problems.append(f"krew uri {kfield('uri')} does not name {name}")
    if f"{stem}/hnsdoctor.exe" not in krew or kfield("bin") != "kubectl-hnsdoctor.exe":
        problems.append("krew files/bin do not match the zip layout")

    for p in problems:
        print(f"dist-check: {p}")
    if not problems:
        print(f"dist-check: {name} ok ({len(got)} files, sha256 {digest}); scoop, winget and "
              f"krew manifests match")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/dist"))
