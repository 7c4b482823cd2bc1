#!/usr/bin/env bash
# Puts numbers on the source document's claims (docs/source-claims.md): runs the image
# classification case as cloud-only, local-only, edge-only and hybrid deployments, and the
# video retrieval case with and without waiting for every model, then prints one table.
#   scripts/compare-source-claims.sh [OUTDIR]        (needs a release build: swift build -c release)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=.build/release/hybridsim
out="${1:-results/source-claims}"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
img=scenarios/image-collaborative.yaml
run() { # name file overrides...
  local name=$1 file=$2; shift 2
  "$bin" run "$file" --quiet --out "$out/$name" "$@"
}
run cloud-only       $img --set 'deployment={kind: single, model: resnet50, on: cloud-b, via: rest}'
run local-gpu-only   $img --set 'deployment={kind: single, model: resnet50, on: local-c, via: rest}'
run edge-only        $img --set 'deployment={kind: single, model: mobilenet-v3, on: edge-e, via: rest}'
run hybrid-rest      $img
run hybrid-grpc      $img --set deployment.branches.0.via=grpc --set deployment.branches.1.via=grpc
run hybrid-vote      $img --set deployment.fusion.method=vote
run hybrid-weighted  $img --set deployment.fusion.method=weighted
run hybrid-plus-cloud-deadline $img --set 'deployment.branches=[{model: resnet50, on: local-c, via: rest, weight: 2}, {model: mobilenet-v3, on: edge-e, via: rest}, {model: vit-b16, on: cloud-b, via: rest, weight: 2}]' \
                                    --set 'deployment.fusion={method: mean, deadline: 90ms, quorum: 2, cost: 0.2ms}'
run hybrid-plus-cloud-wait-all $img --set 'deployment.branches=[{model: resnet50, on: local-c, via: rest, weight: 2}, {model: mobilenet-v3, on: edge-e, via: rest}, {model: vit-b16, on: cloud-b, via: rest, weight: 2}]'
run video-deadline   scenarios/video-retrieval.yaml
run video-wait-all   scenarios/video-retrieval.yaml --set 'deployment.fusion={method: weightedMean, cost: 0.5ms}'
run image-distributed scenarios/image-distributed.yaml
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
names = ["cloud-only", "local-gpu-only", "edge-only", "hybrid-rest", "hybrid-grpc", "hybrid-vote", "hybrid-weighted",
         "hybrid-plus-cloud-deadline", "hybrid-plus-cloud-wait-all", "image-distributed", "video-deadline", "video-wait-all"]
print("| run | latency mean [95% CI] ms | p50 ms | p99 ms | accuracy | without cloud | cost $/h | utilisation C / E / B |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for name in names:
    s = json.load(open(os.path.join(out, name, "summary.json")))
    lat = s["latency_s"]; ci = lat["ci95"]
    nodes = s["nodes"]
    util = " / ".join(f'{nodes[n]["utilization"]:.3f}' if n in nodes else "–" for n in ["local-c", "edge-e", "cloud-b"])
    share = s.get("fusion", {}).get("branch_share", {})
    cloud = [v for k, v in share.items() if k.endswith("@cloud-b")]
    if cloud: without = 1 - cloud[0]
    elif share: without = 1.0
    else: without = 0.0 if nodes.get("cloud-b", {}).get("utilization", 0) > 0 else 1.0
    acc = s.get("accuracy", {}).get("fused")
    print(f'| {name} | {lat["mean"]*1e3:.2f} [{ci[0]*1e3:.2f}, {ci[1]*1e3:.2f}] | {lat["p50"]*1e3:.2f} | {lat["p99"]*1e3:.2f} '
          f'| {acc:.4f} | {without:.3f} | {s.get("cost_per_h", 0):.3f} | {util} |')
PY
