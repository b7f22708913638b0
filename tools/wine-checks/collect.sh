# Sourced by tools/wine-smoke.sh (which defines `run` and `$out`): `hnsdoctor collect` under wine.
# Wine has no Containers feature: the HNS API sources must fail with "HNS API not available"
# (the exe still starts: the DLLs are loaded at run time), while the commands, registry keys and
# process queries wine does answer must be collected, and the bundle must be complete.
cdir=$(mktemp -d)
echo "+ hnsdoctor.exe collect --out $cdir/bundle --no-zip"
run collect --out "$cdir/bundle" --no-zip --timeout-scale 0.5 --only hns,ip,ports,os,services >"$cdir/stdout" 2>"$cdir/stderr" || {
  cat "$cdir/stdout" "$cdir/stderr" >&2; echo "collect failed under wine" >&2; exit 1; }
grep -q '^bundle: ' "$cdir/stdout"
python3 - "$cdir/bundle" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]
m = json.load(open(os.path.join(root, "manifest.json"), encoding="utf-8"))
by = {s["id"]: s for s in m["sources"]}
problems = []
def check(cond, msg):
    if not cond:
        problems.append(msg)
check(m["tool"] == "hnsdoctor" and m["format_version"] == 1, "manifest header")
check(m["host"], "host name")
check(m["os_build"], "OS build from the registry")
# The console code pages (GetOEMCP/GetACP), so the reader decodes native-tool output right.
cp = m.get("code_pages") or {}
check(cp.get("oem", 0) > 0 and cp.get("ansi", 0) > 0, f"code pages recorded: {cp}")
check(by.get("ip.ipconfig", {}).get("encoding") == "oem", "ipconfig output marked as OEM")
# sc lists every service, running or not.
check("state= all" in by.get("services.queryex", {}).get("via", ""), "sc queryex state= all")
# HNS API sources: failed, with the missing-DLL text (or skipped when wine runs unelevated).
for sid in ["hns.networks", "hns.endpoints", "hns.loadbalancers", "hns.namespaces",
            "hns.endpoints_v1", "hns.policylists", "hns.portpools", "hns.version"]:
    s = by.get(sid)
    check(s is not None, f"{sid} missing")
    if s and s["status"] != "skipped":
        check(s["status"] == "failed" and (s["error"] or "").startswith("HNS API not available"),
              f"{sid}: {s['status']} {s['error']}")
# What wine answers: collected (ok, with bytes on disk).
for sid in ["os.version", "ports.netstat", "ip.tcpip_registry"]:
    s = by.get(sid, {})
    check(s.get("status") == "ok" and s.get("bytes", 0) > 0, f"{sid}: {s.get('status')} {s.get('error')}")
# ipconfig runs (wine's ipconfig rejects /allcompartments, so its usage text is captured with exit code 1).
s = by.get("ip.ipconfig", {})
check(s.get("status") in ("ok", "failed") and s.get("path") == "net/ipconfig.txt", f"ip.ipconfig: {s}")
check(s.get("exit_code") is not None, "ip.ipconfig exit code recorded")
# Every written file matches its manifest size and hash.
for s in m["sources"]:
    if s.get("path") and not s["path"].endswith("/"):
        b = open(os.path.join(root, s["path"]), "rb").read()
        check(len(b) == s["bytes"] and hashlib.sha256(b).hexdigest() == s["sha256"], f"{s['id']} hash/size")
if problems:
    print("collect under wine:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
ok = sum(1 for s in m["sources"] if s["status"] == "ok")
print(f"collect under wine: {ok} of {len(m['sources'])} sources ok; HNS API sources failed as expected; code pages {cp}")
PY
# No temporary folder left next to the bundle.
if ls -a "$cdir" | grep -q 'partial'; then echo "temporary bundle folder left behind" >&2; exit 1; fi
rm -rf "$cdir"
