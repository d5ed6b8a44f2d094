"""Daily viaspark edit of one date partition of videos (Airflow 2.x).

Each run edits s3a://<bucket>/videos/raw/dt=<ds>/ into s3a://<bucket>/videos/edited/dt=<ds>/ with InstructPix2Pix on
GPU executors. Two DAGs, one per way of reaching the cluster; both start paused, unpause the one that fits:

* viaspark_daily_edit: SparkSubmitOperator (provider apache-airflow-providers-apache-spark). The Airflow worker runs
  spark-submit against the connection `spark_default` (its host is the master: yarn, spark://..., k8s://...; its
  extra may set deploy-mode, e.g. {"deploy-mode": "cluster"}). The worker needs the files of deploy/ in
  Variable viaspark_home (default /opt/viaspark): viaspark.jar, viaspark-gpu.conf, discover-gpus.sh.
* viaspark_daily_edit_k8s: SparkKubernetesOperator (apache-airflow-providers-cncf-kubernetes) creating the
  SparkApplication of deploy/k8s/viaspark-sparkapplication.yaml, which Airflow renders with the same params.

Params (per run, from the trigger form or `airflow dags trigger --conf`): bucket, instruction, model_path (a diffusers
InstructPix2Pix folder, s3a: or hdfs:), image and s3a_credentials_provider (Kubernetes only). Re-running a date
(a retry, a clear, a backfill) is cheap: viaspark skips the videos a previous attempt finished.
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.cncf.kubernetes.operators.spark_kubernetes import SparkKubernetesOperator

# Where the worker finds the job jar, the settings file and the GPU discovery script (rendered at run time)
VIASPARK_HOME = "{{ var.value.get('viaspark_home', '/opt/viaspark') }}"
CONFIG_FILE = "viaspark-gpu.conf"
# deploy/k8s, for the SparkApplication template; next to this file in the repository
K8S_DIR = os.environ.get(
    "VIASPARK_K8S_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "k8s"))
K8S_NAMESPACE = os.environ.get("VIASPARK_K8S_NAMESPACE", "viaspark")

INPUT = "s3a://{{ params.bucket }}/videos/raw/dt={{ ds }}/"
OUTPUT = "s3a://{{ params.bucket }}/videos/edited/dt={{ ds }}/"

# The viaspark command line (`viaspark edit --help`); the SparkApplication's arguments are the same list.
APPLICATION_ARGS = [
    "edit",
    "--input", INPUT,
    "--output", OUTPUT,
    "--instruction", "{{ params.instruction }}",
    "--set", "model.path={{ params.model_path }}",
]

# Spark 3.5 on Java 17 (as job/viaspark and deploy/spark-submit.sh pass them)
JAVA17_OPTIONS = " ".join([
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
])

# spark-submit properties. The driver runs in the cluster (deploy-mode cluster in the connection), where --files land in
# its working directory, so -Dconfig.file names the shipped file. One GPU per executor and one task per GPU.
# Executors load the CUDA libtorch unpacked at /opt/libtorch/lib on every GPU node (deploy/README.md, "natives").
SPARK_CONF = {
    "spark.driver.extraJavaOptions": f"-Dconfig.file={CONFIG_FILE} {JAVA17_OPTIONS}",
    "spark.executor.extraJavaOptions": f"-Dconfig.file={CONFIG_FILE} {JAVA17_OPTIONS}",
    "spark.executor.resource.gpu.amount": "1",
    "spark.executor.resource.gpu.discoveryScript": "./discover-gpus.sh",
    "spark.task.resource.gpu.amount": "1",
    "spark.executor.cores": "4",
    "spark.task.cpus": "4",
    "spark.executorEnv.DJL_OFFLINE": "true",
    "spark.executorEnv.OPT_OUT_TRACKING": "true",
    "spark.executorEnv.PYTORCH_LIBRARY_PATH": "/opt/libtorch/lib",
    "spark.executorEnv.PYTORCH_VERSION": "2.7.1",
    "spark.executorEnv.PYTORCH_FLAVOR": "cu128",
    "spark.eventLog.enabled": "true",
    "spark.eventLog.dir": "s3a://{{ params.bucket }}/spark-events/",
    "spark.ui.prometheus.enabled": "true",
    "spark.metrics.conf.*.sink.prometheusServlet.class": "org.apache.spark.metrics.sink.PrometheusServlet",
    "spark.metrics.conf.*.sink.prometheusServlet.path": "/metrics/prometheus",
}

PARAMS = {
    "bucket": "my-video-bucket",
    "instruction": "make it look like a snowy winter day",
    "model_path": "s3a://my-video-bucket/models/instruct-pix2pix",
    # Kubernetes only
    "image": "registry.example.com/viaspark:0.1.0-cuda",
    "s3a_credentials_provider": "com.amazonaws.auth.WebIdentityTokenCredentialsProvider",
}

DEFAULT_ARGS = {
    "owner": "data-platform",
    "depends_on_past": False,
    "retries": 2,
    "retry_delay": timedelta(minutes=20),
    # an edit of a day's partition should be done 8 h after its interval ends; later runs raise an SLA miss
    "sla": timedelta(hours=8),
    "execution_timeout": timedelta(hours=12),
}


def _dag(dag_id: str, description: str) -> DAG:
    return DAG(
        dag_id=dag_id,
        description=description,
        schedule="@daily",
        start_date=datetime(2026, 1, 1),
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        params=PARAMS,
        template_searchpath=[K8S_DIR],
        is_paused_upon_creation=True,
        tags=["viaspark", "video", "gpu"],
    )


with _dag("viaspark_daily_edit", "viaspark: edit one day of videos with spark-submit") as spark_submit_dag:
    SparkSubmitOperator(
        task_id="edit_videos",
        conn_id="spark_default",
        application=VIASPARK_HOME + "/viaspark.jar",
        java_class="dev.viaspark.job.ViasparkMain",
        name="viaspark-edit-{{ ds_nodash }}",
        conf=SPARK_CONF,
        files=f"{VIASPARK_HOME}/{CONFIG_FILE},{VIASPARK_HOME}/discover-gpus.sh",
        # hadoop-aws for s3a:; leave out where the cluster ships it
        packages="org.apache.hadoop:hadoop-aws:3.3.4",
        driver_memory="4g",
        executor_memory="24g",
        num_executors=2,
        application_args=APPLICATION_ARGS,
        verbose=False,
    )

with _dag("viaspark_daily_edit_k8s", "viaspark: edit one day of videos with spark-operator") as spark_operator_dag:
    SparkKubernetesOperator(
        task_id="edit_videos",
        namespace=K8S_NAMESPACE,
        kubernetes_conn_id="kubernetes_default",
        # found on template_searchpath and rendered with the run's ds and params
        application_file="viaspark-sparkapplication.yaml",
    )
