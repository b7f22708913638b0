# Sourced by tools/wine-smoke.sh (which defines `run` = hnsdoctor.exe under wine).
# The knowledge base is embedded in the .exe: a 1709 host must show the service VIP issue.
kb_out=$(run kb issues --build 1709 --color never)
printf '%s\n' "$kb_out"
if ! printf '%s\n' "$kb_out" | grep -q 'service-vip-unreachable'; then
  echo "kb issues --build 1709 did not list service-vip-unreachable" >&2
  exit 1
fi
