#!/usr/bin/env python3
"""Package hnsdoctor.exe for Windows (called by tools/dist.sh).

Writes into OUT:
  hnsdoctor-<version>-x86_64-pc-windows-gnu.zip   one folder of the same name holding
      hnsdoctor.exe, README.md, LICENSE*, SHA256SUMS.txt (SHA-256 of every other file in it)
  hnsdoctor-<version>-x86_64-pc-windows-gnu.zip.sha256   "<sha256>  <zip name>"
  hnsdoctor.json          scoop manifest (url, hash, extract_dir, bin)
  hnsdoctor.winget.yaml   winget singleton manifest (zip with a portable nested installer)
  hnsdoctor.krew.yaml     krew plugin manifest (`kubectl hnsdoctor`), from deploy/krew/hnsdoctor.yaml

The zip is deterministic (fixed timestamps and order), so the same exe gives the same hash.
"""

import argparse
import hashlib
import json
import os
import zipfile

TARGET = "x86_64-pc-windows-gnu"
DESCRIPTION = ("Finds out why container networking is broken on a Windows host "
               "(HNS, VFP, WinNAT, kube-proxy), and says what to do about it")
LICENSE = "MIT OR Apache-2.0"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", required=True)
    ap.add_argument("--exe", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--files", nargs="*", default=[])
    a = ap.parse_args()

    stem = f"hnsdoctor-{a.version}-{TARGET}"
    zip_name = f"{stem}.zip"
    members = [("hnsdoctor.exe", open(a.exe, "rb").read())]
    for f in a.files:
        members.append((os.path.basename(f), open(f, "rb").read()))
    sums = "".join(f"{sha256(data)}  {name}\n" for name, data in members)
    members.append(("SHA256SUMS.txt", sums.encode()))

    zip_path = os.path.join(a.out, zip_name)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(f"{stem}/{name}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    digest = sha256(open(zip_path, "rb").read())
    with open(zip_path + ".sha256", "w", newline="\n") as f:
        f.write(f"{digest}  {zip_name}\n")

    url = f"{a.base_url.rstrip('/')}/{zip_name}"
    scoop = {
        "version": a.version,
        "description": DESCRIPTION,
        "homepage": a.base_url,
        "license": "MIT|Apache-2.0",
        "url": url,
        "hash": digest,
        "extract_dir": stem,
        "bin": "hnsdoctor.exe",
        "notes": "Run `hnsdoctor collect` or `hnsdoctor doctor` from an elevated prompt on the node.",
    }
    with open(os.path.join(a.out, "hnsdoctor.json"), "w", newline="\n") as f:
        json.dump(scoop, f, indent=2)
        f.write("\n")

    winget = f"""# yaml-language-server: $schema=https://aka.ms/winget-manifest.singleton.1.6.0.schema.json
PackageIdentifier: hnsdoctor.hnsdoctor
PackageVersion: {a.version}
PackageLocale: en-US
Publisher: hnsdoctor authors
PackageName: hnsdoctor
License: {LICENSE}
ShortDescription: {DESCRIPTION}
Commands:
  - hnsdoctor
Installers:
  - Architecture: x64
    InstallerType: zip
    NestedInstallerType: portable
    NestedInstallerFiles:
      - RelativeFilePath: {stem}\\hnsdoctor.exe
        PortableCommandAlias: hnsdoctor
    InstallerUrl: {url}
    InstallerSha256: {digest.upper()}
ManifestType: singleton
ManifestVersion: 1.6.0
"""
    with open(os.path.join(a.out, "hnsdoctor.winget.yaml"), "w", newline="\n") as f:
        f.write(winget)
    krew_template = os.path.join(os.path.dirname(__file__), "..", "deploy", "krew", "hnsdoctor.yaml")
    krew = open(krew_template, encoding="utf-8").read()
    for key, value in (("VERSION", a.version), ("URI", url), ("SHA256", digest)):
        krew = krew.replace("{{" + key + "}}", value)
    if "{{" in krew:
        raise SystemExit(f"dist-make: unknown placeholder left in {krew_template}")
    with open(os.path.join(a.out, "hnsdoctor.krew.yaml"), "w", newline="\n") as f:
        f.write(krew)
    print(f"dist: {zip_path} ({os.path.getsize(zip_path)} bytes, sha256 {digest})")
    print(f"dist: {os.path.join(a.out, 'hnsdoctor.json')} (scoop), "
          f"{os.path.join(a.out, 'hnsdoctor.winget.yaml')} (winget), "
          f"{os.path.join(a.out, 'hnsdoctor.krew.yaml')} (krew)")


if __name__ == "__main__":
    main()
