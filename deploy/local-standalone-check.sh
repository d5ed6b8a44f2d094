#!/usr/bin/env bash
# Runs deploy/spark-submit.sh against a throwaway Spark standalone cluster on this machine (master + one worker
# started from the Maven classpath, no Spark install needed) whose worker advertises two fake GPUs, with
# GPU_STAGES=on: checks that stage-level scheduling starts a second executor of the GPU profile for the edit stage
# while probe and assemble run on the default one. CPU only (opencv:cartoon; the fake GPUs are never used).
#
#   deploy/local-standalone-check.sh        (after `mvn -B -DskipTests -pl job -am install` or job/viaspark demo)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/job/target/viaspark.jar"
[ -f "$jar" ] && [ -f "$root/job/target/provided-classpath.txt" ] || { echo "build the job jar first" >&2; exit 1; }
dir="$(mktemp -d -t viaspark-standalone.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

cp="$(cat "$root/job/target/provided-classpath.txt"):$jar"
opens=(--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED)
export SPARK_LOCAL_IP=127.0.0.1

# a SPARK_HOME the worker can launch executors from: jars/ (Spark + the job jar) and a RELEASE marker
mkdir -p "$dir/home/jars" "$dir/in"
for j in ${cp//:/ }; do ln -sf "$j" "$dir/home/jars/"; done
touch "$dir/home/RELEASE"
printf '#!/usr/bin/env bash\necho '"'"'{"name":"gpu","addresses":["0","1"]}'"'"'\n' > "$dir/fake-gpus.sh"
chmod +x "$dir/fake-gpus.sh"
printf '#!/usr/bin/env bash\nexec java %s -cp "%s" org.apache.spark.deploy.SparkSubmit "$@"\n' "${opens[*]}" "$cp" \
  > "$dir/spark-submit"
chmod +x "$dir/spark-submit"

port=$((20000 + RANDOM % 20000))
java "${opens[@]}" -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port 0 > "$dir/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "I have been elected leader" "$dir/master.log" && break; sleep 1; done
SPARK_HOME="$dir/home" SPARK_SCALA_VERSION=2.12 java "${opens[@]}" -Dspark.worker.resource.gpu.amount=2 \
  -Dspark.worker.resource.gpu.discoveryScript="$dir/fake-gpus.sh" -cp "$cp" org.apache.spark.deploy.worker.Worker \
  --cores 2 --memory 4g --work-dir "$dir/executors" --webui-port 0 "spark://127.0.0.1:$port" > "$dir/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "Successfully registered with master" "$dir/worker.log" && break; sleep 1; done

"$root/job/viaspark" generate --output "$dir/in/clip.mp4" --seconds 3 --size 160x120 > /dev/null
SPARK_SUBMIT="$dir/spark-submit" SPARK_MASTER="spark://127.0.0.1:$port" GPU_STAGES=on EXECUTOR_CORES=1 TASK_CPUS=1 \
  EXECUTOR_MEMORY=1g DJL_NATIVES=cpu HADOOP_AWS=provided PROMETHEUS=0 VIASPARK_JAR="$jar" \
  "$root/deploy/spark-submit.sh" standalone edit --input "$dir/in" --output "$dir/out" --editor opencv:cartoon \
  --set resources.discovery-script="$dir/fake-gpus.sh" > "$dir/submit.log" 2>&1 || {
    echo "the job failed: $dir/submit.log" >&2; exit 1; }
grep '^\[viaspark\]\|^1 videos' "$dir/submit.log"

echo "executors (resource profile: tasks run):"
ok=1
for e in "$dir"/executors/app-*/*; do
  profile=$(grep -o 'resourceProfileId" "[0-9]*' "$e/stderr" | grep -o '[0-9]*$')
  echo "  $(basename "$e"): profile $profile, $(grep -c 'Running task' "$e/stderr") tasks"
done
grep -q 'resourceProfileId" "1' "$dir"/executors/app-*/*/stderr || { echo "no executor of the GPU profile started" >&2; ok=0; }
grep '"gpuSeconds"' "$dir/out/job.json"
[ "$ok" = 1 ] && echo "ok: the edit stage ran on an executor of the GPU profile ($dir)"
