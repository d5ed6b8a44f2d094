"""Imports an Airflow DAG file against stub airflow modules and prints what its operators would run, rendered, as JSON.

    /usr/bin/python3 render_dag.py DAG_FILE RUN_DATE [--var key=value]... [--param key=value]... [--yaml FILE]...

--var sets an Airflow Variable, --param overrides a DAG param (as a manual trigger's conf does), --yaml adds a
parsed YAML file to the output (under "yaml", by the path given).

Needs Jinja2 and PyYAML (Debian: python3-jinja2, python3-yaml), not Airflow: `airflow`, the apache-spark provider's
SparkSubmitOperator and the cncf-kubernetes provider's SparkKubernetesOperator are stubs that record their keyword
arguments. Every string in those arguments is rendered as Airflow renders templated fields (StrictUndefined, with ds,
ds_nodash, params and var.value); an application_file ending in .yaml/.yml/.json is loaded from the DAG's
template_searchpath, rendered, and parsed. Used by AirflowDagTest.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import sys
import types

import jinja2
import yaml


class DAG:
    """Records its keyword arguments and the operators created inside `with DAG(...)`."""

    current: list["DAG"] = []
    created: list["DAG"] = []

    def __init__(self, dag_id=None, **kwargs):
        self.dag_id = dag_id if dag_id is not None else kwargs.pop("dag_id")
        self.kwargs = kwargs
        self.tasks = []
        DAG.created.append(self)

    def __enter__(self):
        DAG.current.append(self)
        return self

    def __exit__(self, *exc):
        DAG.current.pop()
        return False


class Operator:
    def __init__(self, **kwargs):
        self.kwargs = kwargs
        dag = kwargs.get("dag") or (DAG.current[-1] if DAG.current else None)
        if dag is None:
            raise RuntimeError(f"{type(self).__name__} {kwargs.get('task_id')} created outside a DAG")
        dag.tasks.append(self)

    # Airflow's bit-shift dependencies are accepted and ignored
    def __rshift__(self, other):
        return other

    def __lshift__(self, other):
        return other


class SparkSubmitOperator(Operator):
    pass


class SparkKubernetesOperator(Operator):
    pass


def install_stubs() -> None:
    def module(name: str, **attrs) -> types.ModuleType:
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        m.__path__ = []  # a package, so that submodules import
        sys.modules[name] = m
        return m

    module("airflow", DAG=DAG)
    module("airflow.models", DAG=DAG)
    module("airflow.providers")
    module("airflow.providers.apache")
    module("airflow.providers.apache.spark")
    module("airflow.providers.apache.spark.operators")
    module("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=SparkSubmitOperator)
    module("airflow.providers.cncf")
    module("airflow.providers.cncf.kubernetes")
    module("airflow.providers.cncf.kubernetes.operators")
    module("airflow.providers.cncf.kubernetes.operators.spark_kubernetes",
           SparkKubernetesOperator=SparkKubernetesOperator)


class VarValues:
    """`var.value` in templates: var.value.get(key, default) and var.value.key, from --var or the default."""

    def __init__(self, values: dict):
        self._values = values

    def get(self, key, default=None):
        if key in self._values:
            return self._values[key]
        if default is None:
            raise KeyError(f"Variable {key} is not set and has no default")
        return default

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        if key not in self._values:
            raise KeyError(f"Variable {key} is not set (use var.value.get with a default or pass --var)")
        return self._values[key]


def jsonable(value):
    if isinstance(value, dt.timedelta):
        return {"seconds": value.total_seconds()}
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    dag_file, run_date = argv[1], dt.date.fromisoformat(argv[2])
    variables, param_overrides, yaml_files = {}, {}, []
    it = iter(argv[3:])
    for extra in it:
        if extra not in ("--var", "--param", "--yaml"):
            raise SystemExit(f"unknown argument {extra}")
        value = next(it)
        if extra == "--yaml":
            yaml_files.append(value)
            continue
        key, _, value = value.partition("=")
        (variables if extra == "--var" else param_overrides)[key] = value

    install_stubs()
    spec = importlib.util.spec_from_file_location("viaspark_dag_under_test", dag_file)
    dag_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dag_module)

    dags = []
    for dag in DAG.created:
        search_path = list(dag.kwargs.get("template_searchpath") or [])
        search_path.append(os.path.dirname(os.path.abspath(dag_file)))
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(search_path), undefined=jinja2.StrictUndefined,
                                 keep_trailing_newline=True)
        params = dict(dag.kwargs.get("params") or {})
        unknown = set(param_overrides) - set(params)
        if unknown:
            raise SystemExit(f"{dag.dag_id} has no params {sorted(unknown)}")
        params.update(param_overrides)
        context = {
            "ds": run_date.isoformat(),
            "ds_nodash": run_date.strftime("%Y%m%d"),
            "params": params,
            "var": {"value": VarValues(variables)},
            "dag": types.SimpleNamespace(dag_id=dag.dag_id),
        }

        def render(value):
            if isinstance(value, str):
                return env.from_string(value).render(context)
            if isinstance(value, dict):
                return {k: render(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [render(v) for v in value]
            return value

        tasks = []
        for task in dag.tasks:
            entry = {"type": type(task).__name__, "kwargs": jsonable(render(task.kwargs))}
            app_file = task.kwargs.get("application_file")
            if isinstance(app_file, str) and app_file.endswith((".yaml", ".yml", ".json")):
                _, path, _ = env.loader.get_source(env, app_file)
                entry["application_file_path"] = path
                rendered = env.get_template(app_file).render(context)
                entry["application_file_rendered"] = rendered
                entry["application"] = yaml.safe_load(rendered)
            tasks.append(entry)
        dags.append({"dag_id": dag.dag_id, "kwargs": jsonable(dag.kwargs), "tasks": tasks})

    parsed = {}
    for path in yaml_files:
        with open(path, encoding="utf-8") as f:
            parsed[path] = yaml.safe_load(f)
    json.dump({"run_date": run_date.isoformat(), "dags": dags, "yaml": parsed}, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
