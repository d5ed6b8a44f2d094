#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs this executor may use as
# {"name":"gpu","addresses":["0","1",...]}. Honours CUDA_VISIBLE_DEVICES when the cluster manager sets it (YARN,
# Kubernetes device plugins); otherwise asks nvidia-smi. No GPU prints an empty address list, which Spark rejects for
# an executor that requested GPUs: the error then names this script instead of failing later inside the model.
set -euo pipefail
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ] && [ "${CUDA_VISIBLE_DEVICES}" != "NoDevFiles" ]; then
  ids=$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\n' | awk 'NF { print NR - 1 }')
elif command -v nvidia-smi >/dev/null 2>&1; then
  ids=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null | tr -d ' ' || true)
else
  ids=""
fi
printf '{"name":"gpu","addresses":['
sep=""
for id in $ids; do
  printf '%s"%s"' "$sep" "$id"
  sep=","
done
printf ']}\n'
