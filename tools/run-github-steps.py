#!/usr/bin/env python3
"""Run the `run:` steps of a composite GitHub Action (action.yml) or of one job of a workflow,
on this machine, with the environment the GitHub runner gives them, for the end-to-end tests.

Usage:
  run-github-steps.py action.yml [--input NAME=VALUE]... [--trace FILE]
  run-github-steps.py workflow.yaml --job JOB [--trace FILE]

What the runner does, this does: each `run:` step goes to `bash --noprofile --norc -eo pipefail
FILE` in `working-directory` (else $GITHUB_WORKSPACE, else the current folder), with the step's
and the job's `env:`, `INPUT_<NAME>` for an action's inputs, and fresh `GITHUB_OUTPUT`,
`GITHUB_ENV` and `GITHUB_PATH` files whose contents later steps see (`steps.ID.outputs.KEY`, the
environment, PATH). `GITHUB_STEP_SUMMARY` is the caller's (one file for the whole action, as on
GitHub). `${{ ... }}` expressions are evaluated in `run:`, `env:`, `with:` and `if:`: contexts
inputs, github (action_path, workspace), runner (os, temp), steps, env; operators `!`, `==`,
`!=`, `&&`, `||`, parentheses; functions success(), failure(), always(), cancelled().

A `uses:` step (another action) is not run: it is recorded in the trace with its evaluated
`with:`, and counts as succeeded with no outputs.

The exit code is 1 when a step failed, else 0. `--trace FILE` writes JSON: every step (id, name,
uses, with, ran, outcome, exit code) and the action's evaluated `outputs`.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml


class Expr:
    """A tiny evaluator for GitHub Actions expressions (the subset above)."""

    TOKEN = re.compile(
        r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)"
        r"|(?P<op>==|!=|&&|\|\||!|\(|\)|,)|(?P<ident>[A-Za-z_][A-Za-z0-9_.\-*]*))"
    )

    def __init__(self, text, contexts, status):
        self.tokens = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = self.TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise SystemExit(f"run-github-steps: cannot parse expression {text!r}")
            pos = m.end()
            kind = m.lastgroup
            self.tokens.append((kind, m.group(kind)))
        self.pos = 0
        self.contexts = contexts
        self.status = status

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def value(self):
        result = self.or_()
        if self.pos != len(self.tokens):
            raise SystemExit(f"run-github-steps: trailing tokens in expression: {self.tokens}")
        return result

    def or_(self):
        left = self.and_()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.and_()
            left = left if truthy(left) else right
        return left

    def and_(self):
        left = self.cmp()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.cmp()
            left = right if truthy(left) else left
        return left

    def cmp(self):
        left = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            _, op = self.take()
            right = self.unary()
            same = loose(left) == loose(right)
            left = same if op == "==" else not same
        return left

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        return self.atom()

    def atom(self):
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if (kind, text) == ("op", "("):
            inner = self.or_()
            self.take()
            return inner
        if kind == "ident":
            if text in ("true", "false"):
                return text == "true"
            if text == "null":
                return None
            if self.peek() == ("op", "("):
                self.take()
                self.take()  # these functions take no arguments
                return {
                    "success": self.status == "success",
                    "failure": self.status == "failure",
                    "always": True,
                    "cancelled": False,
                }[text]
            node = self.contexts
            for part in text.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            return node
        raise SystemExit(f"run-github-steps: unexpected token {text!r}")


def truthy(value):
    return value not in (None, False, 0, 0.0, "")


def loose(value):
    """GitHub compares loosely: strings case-insensitively, booleans and numbers as numbers."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value.lower()
    return value


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def substitute(text, contexts, status):
    return re.sub(
        r"\$\{\{(.*?)\}\}",
        lambda m: as_text(Expr(m.group(1), contexts, status).value()),
        as_text(text),
    )


def condition(text, contexts, status):
    if text is None:
        return status == "success"
    text = as_text(text).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    # Without a status function GitHub adds success().
    if not re.search(r"\b(success|failure|always|cancelled)\(", text):
        text = f"success() && ({text})"
    return truthy(Expr(text, contexts, status).value())


def read_key_values(path):
    """A GITHUB_OUTPUT or GITHUB_ENV file: NAME=VALUE lines and NAME<<DELIMITER blocks."""
    values = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            while i < len(lines) and lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            i += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--job")
    parser.add_argument("--input", action="append", default=[])
    parser.add_argument("--trace")
    args = parser.parse_args()

    with open(args.file, encoding="utf-8") as f:
        document = yaml.safe_load(f)
    action_path = os.path.dirname(os.path.abspath(args.file))
    workspace = os.environ.get("GITHUB_WORKSPACE", os.getcwd())
    temp = tempfile.mkdtemp(prefix="runner-temp-")
    job_env = {}
    inputs = {}
    if args.job:
        job = document["jobs"][args.job]
        steps = job["steps"]
        job_env.update(document.get("env") or {})
        job_env.update(job.get("env") or {})
    else:
        if document["runs"]["using"] != "composite":
            raise SystemExit("run-github-steps: only composite actions run here")
        steps = document["runs"]["steps"]
        for name, spec in (document.get("inputs") or {}).items():
            inputs[name] = as_text((spec or {}).get("default", ""))
        for pair in args.input:
            name, value = pair.split("=", 1)
            if name not in inputs:
                raise SystemExit(f"run-github-steps: the action has no input {name!r}")
            inputs[name] = value

    env = dict(os.environ)
    env.update(
        {
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_WORKSPACE": workspace,
            "GITHUB_ACTION_PATH": action_path,
            "RUNNER_OS": "Linux",
            "RUNNER_TEMP": temp,
        }
    )
    for name, value in inputs.items():
        env["INPUT_" + name.upper().replace(" ", "_")] = value
    contexts = {
        "inputs": inputs,
        "github": {"action_path": action_path, "workspace": workspace},
        "runner": {"os": "Linux", "temp": temp},
        "steps": {},
        "env": {},
    }
    for name, value in job_env.items():
        env[name] = substitute(value, contexts, "success")
    contexts["env"] = {k: env[k] for k in job_env}

    status = "success"
    trace = []
    for index, step in enumerate(steps):
        step_id = step.get("id", f"__{index}")
        record = {"id": step.get("id"), "name": step.get("name"), "uses": step.get("uses")}
        trace.append(record)
        if not condition(step.get("if"), contexts, status):
            record.update(ran=False, outcome="skipped")
            contexts["steps"][step_id] = {"outputs": {}, "outcome": "skipped"}
            continue
        if "uses" in step:
            record["with"] = {
                k: substitute(v, contexts, status) for k, v in (step.get("with") or {}).items()
            }
            record.update(ran=False, outcome="success")
            contexts["steps"][step_id] = {"outputs": {}, "outcome": "success"}
            print(f"run-github-steps: not running `uses: {step['uses']}`", file=sys.stderr)
            continue
        step_env = dict(env)
        for name, value in (step.get("env") or {}).items():
            step_env[name] = substitute(value, contexts, status)
        files = {}
        for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH"):
            fd, files[name] = tempfile.mkstemp(prefix=name.lower() + "-", dir=temp)
            os.close(fd)
            step_env[name] = files[name]
        script = os.path.join(temp, f"step-{index}.sh")
        with open(script, "w", encoding="utf-8") as f:
            f.write(substitute(step["run"], contexts, status))
        shell = step.get("shell", "bash")
        if shell != "bash":
            raise SystemExit(f"run-github-steps: step {step_id}: only `shell: bash` runs here")
        cwd = step.get("working-directory")
        cwd = os.path.join(workspace, substitute(cwd, contexts, status)) if cwd else workspace
        print(f"run-github-steps: step {step.get('name') or step_id}", file=sys.stderr)
        sys.stdout.flush()
        code = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
            cwd=cwd,
            env=step_env,
            check=False,
        ).returncode
        outputs = read_key_values(files["GITHUB_OUTPUT"])
        for name, value in read_key_values(files["GITHUB_ENV"]).items():
            env[name] = value
            contexts["env"][name] = value
        with open(files["GITHUB_PATH"], encoding="utf-8") as f:
            for line in f.read().splitlines():
                if line.strip():
                    env["PATH"] = line.strip() + os.pathsep + env["PATH"]
        outcome = "success" if code == 0 else "failure"
        record.update(ran=True, outcome=outcome, exit_code=code, outputs=outputs)
        contexts["steps"][step_id] = {"outputs": outputs, "outcome": outcome}
        if code != 0 and not step.get("continue-on-error"):
            status = "failure"

    outputs = {}
    if not args.job:
        for name, spec in (document.get("outputs") or {}).items():
            outputs[name] = substitute(spec.get("value", ""), contexts, status)
    if args.trace:
        with open(args.trace, "w", encoding="utf-8") as f:
            json.dump({"steps": trace, "outputs": outputs}, f, indent=2)
    return 0 if status == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
