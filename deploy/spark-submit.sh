#!/usr/bin/env bash
# Submits a viaspark job to a cluster with GPU executors: builds the spark-submit command (job jar, main class, GPU
# resources, config file, DJL natives, hadoop-aws, Java 17 flags) and runs it, or prints it with --dry-run.
#
#   deploy/spark-submit.sh [--dry-run] [--conf key=value]... yarn|k8s|standalone [viaspark arguments...]
#
#   deploy/spark-submit.sh yarn edit --input s3a://bucket/raw/ --output s3a://bucket/edited/ \
#       --instruction 'make it winter' --set model.path=s3a://bucket/models/instruct-pix2pix
#
# viaspark arguments are those of `job/viaspark edit --help`; when they start with an option, `edit` is implied.
# Script options come before the cluster manager: --dry-run (or PRINT_ONLY=1) prints the command instead of running
# it, --conf key=value adds a Spark property (repeatable). Everything else is an environment variable:
#
#   SPARK_SUBMIT      spark-submit to run (default: $SPARK_HOME/bin/spark-submit, else spark-submit on PATH)
#   SPARK_MASTER      master URL; required for standalone (spark://host:7077), default yarn for yarn
#   K8S_API_SERVER    Kubernetes API server for k8s (https://host:6443); the master becomes k8s://$K8S_API_SERVER
#   DEPLOY_MODE       cluster (yarn, k8s) or client (standalone) by default
#   VIASPARK_JAR      the job jar (default job/target/viaspark.jar; k8s: local:///opt/viaspark/viaspark.jar, the image's)
#   VIASPARK_CONFIG   the HOCON settings file to ship (default deploy/viaspark-gpu.conf; k8s: the image's copy,
#                     local:///opt/viaspark/viaspark-gpu.conf)
#   EXECUTOR_GPUS     GPUs per executor (default 1; 0 = CPU executors, no GPU settings at all)
#   TASK_GPUS         GPUs per task (default 1; 0.5 shares a GPU between two tasks)
#   EXECUTOR_CORES    cores per executor (default 4); TASK_CPUS cores per task (default 4)
#   EXECUTOR_MEMORY   memory per executor (default 24g); DRIVER_MEMORY (default 4g)
#   NUM_EXECUTORS     executors when GPU_STAGES=off on yarn and k8s (default 2)
#   GPU_STAGES        off (default): every executor gets the GPUs. on: stage-level scheduling, only the gather and
#                     edit stages get GPU executors (dynamic allocation on, --set resources.gpu-stages=on). YARN,
#                     Kubernetes and standalone support it; MAX_EXECUTORS (default 8) caps dynamic allocation,
#                     SHUFFLE_SERVICE=1 uses the external shuffle service instead of shuffle tracking.
#   DJL_NATIVES       baked (default): libtorch with CUDA is already on the executors at PYTORCH_LIBRARY_PATH
#                     (default /opt/libtorch/lib, as the cuda image of deploy/docker/Dockerfile has it).
#                     online: DJL downloads the CUDA libtorch on first use (needs a job jar WITHOUT the bundled CPU
#                     natives, see deploy/README.md). cpu: the CPU libtorch inside the job jar.
#   PYTORCH_FLAVOR    CUDA flavour of libtorch 2.7.1 (default cu128); ENGINE_CACHE_DIR where DJL keeps natives
#   HADOOP_AWS        packages (default on yarn and standalone): --packages org.apache.hadoop:hadoop-aws:3.3.4;
#                     provided (default on k8s): the cluster or image already has hadoop-aws on Spark's classpath
#   S3A_CREDENTIALS_PROVIDER  sets spark.hadoop.fs.s3a.aws.credentials.provider (unset: the S3A default chain)
#   EVENT_LOG_DIR     turns the event log on (spark.eventLog.dir, e.g. s3a://bucket/spark-events)
#   PROMETHEUS        1 (default): Spark's Prometheus endpoints on the driver UI; 0: off
#   APP_NAME          application name (default viaspark)
#   k8s only: IMAGE (required: built from deploy/docker/Dockerfile), NAMESPACE (default viaspark),
#   SERVICE_ACCOUNT (default spark), POD_TEMPLATE (default deploy/k8s/executor-pod-template.yaml),
#   K8S_UPLOAD_PATH (spark.kubernetes.file.upload.path, needed when the jar or config is a local file)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

die() {
  echo "spark-submit.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

print_only="${PRINT_ONLY:-0}"
user_conf=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run | -n) print_only=1; shift ;;
    --conf)
      [ $# -ge 2 ] || die "--conf needs key=value"
      user_conf+=(--conf "$2"); shift 2 ;;
    --conf=*) user_conf+=(--conf "${1#--conf=}"); shift ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option $1 (script options come before yarn|k8s|standalone)" ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { usage >&2; exit 1; }
manager="$1"
shift
case "$manager" in
  yarn | k8s | standalone) ;;
  *) die "unknown cluster manager '$manager': expected yarn, k8s or standalone" ;;
esac

# viaspark arguments: `edit` is implied when they start with an option
viaspark_args=("$@")
if [ ${#viaspark_args[@]} -eq 0 ] || [[ "${viaspark_args[0]}" == -* ]]; then
  viaspark_args=(edit "$@")
fi

positive() { # name value: a positive number (fractions allowed)
  [[ "$2" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "$1=$2: expected a number"
}

executor_gpus="${EXECUTOR_GPUS:-1}"
task_gpus="${TASK_GPUS:-1}"
executor_cores="${EXECUTOR_CORES:-4}"
task_cpus="${TASK_CPUS:-4}"
positive EXECUTOR_GPUS "$executor_gpus"
positive TASK_GPUS "$task_gpus"
positive EXECUTOR_CORES "$executor_cores"
positive TASK_CPUS "$task_cpus"
gpu_stages="${GPU_STAGES:-off}"
case "$gpu_stages" in on | off) ;; *) die "GPU_STAGES=$gpu_stages: expected on or off" ;; esac
natives="${DJL_NATIVES:-baked}"
case "$natives" in baked | online | cpu) ;; *) die "DJL_NATIVES=$natives: expected baked, online or cpu" ;; esac
[ "$executor_gpus" != 0 ] || natives=cpu

# master, deploy mode and where things live for this cluster manager
case "$manager" in
  yarn)
    master="${SPARK_MASTER:-yarn}"
    deploy_mode="${DEPLOY_MODE:-cluster}"
    jar="${VIASPARK_JAR:-$root/job/target/viaspark.jar}"
    config="${VIASPARK_CONFIG:-$here/viaspark-gpu.conf}"
    discovery="${DISCOVERY_SCRIPT:-$here/discover-gpus.sh}"
    hadoop_aws="${HADOOP_AWS:-packages}"
    ;;
  standalone)
    master="${SPARK_MASTER:-}"
    [[ "$master" == spark://* ]] || die "standalone needs SPARK_MASTER=spark://host:7077"
    deploy_mode="${DEPLOY_MODE:-client}"
    jar="${VIASPARK_JAR:-$root/job/target/viaspark.jar}"
    config="${VIASPARK_CONFIG:-$here/viaspark-gpu.conf}"
    discovery="${DISCOVERY_SCRIPT:-$here/discover-gpus.sh}"
    hadoop_aws="${HADOOP_AWS:-packages}"
    ;;
  k8s)
    if [ -n "${SPARK_MASTER:-}" ]; then
      master="$SPARK_MASTER"
    else
      [ -n "${K8S_API_SERVER:-}" ] || die "k8s needs K8S_API_SERVER=https://host:port (or SPARK_MASTER=k8s://...)"
      master="k8s://${K8S_API_SERVER}"
    fi
    [[ "$master" == k8s://* ]] || die "k8s: the master must start with k8s://, not $master"
    [ -n "${IMAGE:-}" ] || die "k8s needs IMAGE (an image built from deploy/docker/Dockerfile)"
    deploy_mode="${DEPLOY_MODE:-cluster}"
    jar="${VIASPARK_JAR:-local:///opt/viaspark/viaspark.jar}"
    config="${VIASPARK_CONFIG:-local:///opt/viaspark/viaspark-gpu.conf}"
    # executors run the image's copy: files with a local:// URI are not fetched into an executor's working directory
    discovery="${DISCOVERY_SCRIPT:-/opt/viaspark/discover-gpus.sh}"
    hadoop_aws="${HADOOP_AWS:-provided}"
    ;;
esac
case "$deploy_mode" in client | cluster) ;; *) die "DEPLOY_MODE=$deploy_mode: expected client or cluster" ;; esac
case "$hadoop_aws" in packages | provided) ;; *) die "HADOOP_AWS=$hadoop_aws: expected packages or provided" ;; esac

is_uri() { [[ "$1" =~ ^[a-zA-Z][a-zA-Z0-9+.-]*:// ]]; }
config_name="$(basename "$config")"

if ! is_uri "$config" && [ ! -f "$config" ]; then
  die "VIASPARK_CONFIG=$config: no such file"
fi
if [ "$print_only" != 1 ] && ! is_uri "$jar" && [ ! -f "$jar" ]; then
  die "no job jar at $jar: build it with 'mvn -B -DskipTests -pl job -am package' or set VIASPARK_JAR"
fi

# Where the driver finds the config: YARN and Kubernetes cluster mode put --files into the driver's working
# directory, so the file's name is enough there; otherwise the driver reads the file where it lies on this machine.
if [ "$deploy_mode" = cluster ] && [ "$manager" != standalone ]; then
  driver_config="$config_name"
else
  is_uri "$config" && [[ "$config" != file://* ]] && [[ "$config" != local://* ]] \
    && die "DEPLOY_MODE=$deploy_mode on $manager: the driver cannot read -Dconfig.file from $config; use a local file"
  driver_config="$config"
  driver_config="${driver_config#local://}"
  driver_config="${driver_config#file://}"
  driver_config="$(cd "$(dirname "$driver_config")" && pwd)/$(basename "$driver_config")"
fi

# Java 17 flags Spark 3.5 needs (as job/viaspark passes them), after -Dconfig.file
java17=(
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
)

cmd=("${SPARK_SUBMIT:-${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit}")
cmd+=(--master "$master" --deploy-mode "$deploy_mode" --name "${APP_NAME:-viaspark}")
cmd+=(--class dev.viaspark.job.ViasparkMain)
cmd+=(--driver-memory "${DRIVER_MEMORY:-4g}" --executor-memory "${EXECUTOR_MEMORY:-24g}")
cmd+=(--conf "spark.executor.cores=$executor_cores" --conf "spark.task.cpus=$task_cpus")
cmd+=(--conf "spark.driver.extraJavaOptions=-Dconfig.file=$driver_config ${java17[*]}")
cmd+=(--conf "spark.executor.extraJavaOptions=-Dconfig.file=$config_name ${java17[*]}")

# shipped files: the config always; the discovery script where executors fetch --files (not Kubernetes)
files="$config"
if [ "$executor_gpus" != 0 ] && [ "$manager" != k8s ]; then
  [ -f "$discovery" ] || is_uri "$discovery" || die "DISCOVERY_SCRIPT=$discovery: no such file"
  files="$files,$discovery"
  discovery_path="./$(basename "$discovery")"
else
  discovery_path="$discovery"
fi
cmd+=(--files "$files")

vendor=""
[ "$manager" = k8s ] && vendor="nvidia.com"
gpu_stage_args=()
if [ "$executor_gpus" != 0 ] && [ "$gpu_stages" = off ]; then
  # every executor gets the GPUs; one task per GPU when TASK_CPUS = EXECUTOR_CORES and TASK_GPUS = EXECUTOR_GPUS
  cmd+=(--conf "spark.executor.resource.gpu.amount=$executor_gpus")
  cmd+=(--conf "spark.task.resource.gpu.amount=$task_gpus")
  cmd+=(--conf "spark.executor.resource.gpu.discoveryScript=$discovery_path")
  [ -z "$vendor" ] || cmd+=(--conf "spark.executor.resource.gpu.vendor=$vendor")
  case "$manager" in yarn | k8s) cmd+=(--num-executors "${NUM_EXECUTORS:-2}") ;; esac
elif [ "$executor_gpus" != 0 ]; then
  # stage-level scheduling: the default executors stay CPU-only (no spark.executor.resource.gpu.* here: Spark
  # rejects a discovery script without an amount); the job asks for GPU executors for gather and edit
  cmd+=(--conf spark.dynamicAllocation.enabled=true --conf spark.dynamicAllocation.minExecutors=0)
  cmd+=(--conf "spark.dynamicAllocation.maxExecutors=${MAX_EXECUTORS:-8}")
  if [ "${SHUFFLE_SERVICE:-0}" = 1 ]; then
    cmd+=(--conf spark.shuffle.service.enabled=true)
  else
    cmd+=(--conf spark.dynamicAllocation.shuffleTracking.enabled=true)
  fi
  gpu_stage_args=(--set resources.gpu-stages=on
    --set "resources.executor-gpus=$executor_gpus" --set "resources.task-gpus=$task_gpus"
    --set "resources.executor-cores=$executor_cores" --set "resources.task-cpus=$task_cpus"
    --set "resources.discovery-script=$discovery_path")
  [ -z "$vendor" ] || gpu_stage_args+=(--set "resources.vendor=$vendor")
fi

# DJL natives on the executors (the driver does not run the model)
cmd+=(--conf spark.executorEnv.OPT_OUT_TRACKING=true)
case "$natives" in
  cpu)
    cmd+=(--conf spark.executorEnv.DJL_OFFLINE=true)
    ;;
  baked)
    cmd+=(--conf spark.executorEnv.DJL_OFFLINE=true)
    cmd+=(--conf "spark.executorEnv.PYTORCH_LIBRARY_PATH=${PYTORCH_LIBRARY_PATH:-/opt/libtorch/lib}")
    cmd+=(--conf spark.executorEnv.PYTORCH_VERSION=2.7.1)
    cmd+=(--conf "spark.executorEnv.PYTORCH_FLAVOR=${PYTORCH_FLAVOR:-cu128}")
    ;;
  online)
    # DJL prefers natives bundled in the jar over a download: refuse a jar that carries the CPU libtorch
    if ! is_uri "$jar" && [ -f "$jar" ] && command -v unzip >/dev/null 2>&1 \
        && unzip -l "$jar" 2>/dev/null | grep 'pytorch/cpu/' >/dev/null; then
      die "DJL_NATIVES=online: $jar bundles the CPU libtorch, which DJL uses instead of downloading the CUDA one;" \
        "use DJL_NATIVES=baked or a job jar built without pytorch-native-cpu (deploy/README.md)"
    fi
    cmd+=(--conf spark.executorEnv.DJL_OFFLINE=false)
    cmd+=(--conf "spark.executorEnv.PYTORCH_FLAVOR=${PYTORCH_FLAVOR:-cu128}")
    ;;
esac
[ -z "${ENGINE_CACHE_DIR:-}" ] || cmd+=(--conf "spark.executorEnv.ENGINE_CACHE_DIR=$ENGINE_CACHE_DIR")

# S3A
[ "$hadoop_aws" = provided ] || cmd+=(--packages org.apache.hadoop:hadoop-aws:3.3.4)
[ -z "${S3A_CREDENTIALS_PROVIDER:-}" ] \
  || cmd+=(--conf "spark.hadoop.fs.s3a.aws.credentials.provider=$S3A_CREDENTIALS_PROVIDER")

# monitoring: event log for the history server, Prometheus endpoints on the driver UI
if [ -n "${EVENT_LOG_DIR:-}" ]; then
  cmd+=(--conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=$EVENT_LOG_DIR")
fi
if [ "${PROMETHEUS:-1}" = 1 ]; then
  cmd+=(--conf spark.ui.prometheus.enabled=true)
  cmd+=(--conf 'spark.metrics.conf.*.sink.prometheusServlet.class=org.apache.spark.metrics.sink.PrometheusServlet')
  cmd+=(--conf 'spark.metrics.conf.*.sink.prometheusServlet.path=/metrics/prometheus')
fi

if [ "$manager" = k8s ]; then
  cmd+=(--conf "spark.kubernetes.container.image=$IMAGE")
  cmd+=(--conf "spark.kubernetes.namespace=${NAMESPACE:-viaspark}")
  cmd+=(--conf "spark.kubernetes.authenticate.driver.serviceAccountName=${SERVICE_ACCOUNT:-spark}")
  pod_template="${POD_TEMPLATE:-$here/k8s/executor-pod-template.yaml}"
  if [ -n "$pod_template" ]; then
    [ -f "$pod_template" ] || die "POD_TEMPLATE=$pod_template: no such file"
    cmd+=(--conf "spark.kubernetes.executor.podTemplateFile=$pod_template")
  fi
  if ! is_uri "$jar" || ! is_uri "$config"; then
    [ -n "${K8S_UPLOAD_PATH:-}" ] \
      || die "k8s: $jar or $config is a local file; set K8S_UPLOAD_PATH (e.g. s3a://bucket/spark-upload) or use local:// paths in the image"
  fi
  [ -z "${K8S_UPLOAD_PATH:-}" ] || cmd+=(--conf "spark.kubernetes.file.upload.path=$K8S_UPLOAD_PATH")
fi

cmd+=(${user_conf[@]+"${user_conf[@]}"})
cmd+=("$jar" "${viaspark_args[@]}")
cmd+=(${gpu_stage_args[@]+"${gpu_stage_args[@]}"})

shell_quote() { # one shell word: bare when safe, else in single quotes
  if [[ "$1" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
    printf '%s' "$1"
  else
    local word="$1" q="'"
    word="${word//$q/$q\\$q$q}"
    printf "'%s'" "$word"
  fi
}

if [ "$print_only" = 1 ]; then
  # an option and its value per line, the jar on its own line; the output can be pasted into a shell or eval'ed
  out="$(shell_quote "${cmd[0]}")"
  for arg in "${cmd[@]:1}"; do
    if [[ "$arg" == --* ]] || [ "$arg" = "$jar" ]; then
      out+=$' \\\n  '
    else
      out+=" "
    fi
    out+="$(shell_quote "$arg")"
  done
  printf '%s\n' "$out"
  exit 0
fi
exec "${cmd[@]}"
