#!/usr/bin/env python3
"""Checks blastmap's machine outputs with real tools, on datasets/acme-ai.

Usage: check_exports.py BLASTMAP_BINARY

1. `check --format sarif` with docs/examples/policy.yaml (and, 1b, with the Fides example policy on the Fides
   fixture tree) validates against the official OASIS SARIF 2.1.0
   JSON schema (sarif-2.1.0-rtm.5.json, shipped by the npm devDependency @microsoft/jest-sarif in
   web/ui/node_modules, installed by `npm ci`), with the JSON Schema draft the schema declares; every result
   has a location naming a manifest file that exists and a line inside it, and a result's line is where the
   offending flow is declared.
2. `export --format dot` (whole map and a highlighted blast) is parsed and laid out by Graphviz `dot`.
3. `export --format graphml` is read by networkx.read_graphml with every node and edge.

Needs python3-jsonschema (with python3-rfc3987 for the uri formats), python3-networkx, graphviz and `npm ci`
in web/ui (for the schema). Prints `N passed, M failed`; exits 1 on failure.
"""
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import networkx

REPO = Path(__file__).resolve().parents[2]
BIN = str(Path(sys.argv[1]).resolve()) if "/" in sys.argv[1] else sys.argv[1]
ACME = "datasets/acme-ai"
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def run(*args, code=0, cwd=REPO):
    r = subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True)
    check(r.returncode == code, f"blastmap {' '.join(args)}: exit {r.returncode}, expected {code}: {r.stderr}")
    return r.stdout


# 1. SARIF, against the official schema. Its "$schema" names the draft it is written in; the validator is the
# one for that draft (draft-04 for sarif-2.1.0-rtm.5.json).
SCHEMA = REPO / "web/ui/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
if not SCHEMA.is_file():
    print(f"FAIL: {SCHEMA} is missing: run scripts/install-deps.sh (npm ci in web/ui)")
    sys.exit(1)
schema = json.loads(SCHEMA.read_text())
Validator = jsonschema.validators.validator_for(schema, default=None)
check(Validator is not None, f"jsonschema knows the schema's draft {schema.get('$schema')}")
check(schema.get("title", "").startswith("Static Analysis Results Format (SARIF) Version 2.1.0"),
      f"the schema is SARIF 2.1.0's: {schema.get('title')}")
Validator = Validator or jsonschema.Draft4Validator
Validator.check_schema(schema)
# The formats too ("uri-reference" for artifactLocation.uri): python3-jsonschema checks them with python3-rfc3987.
formats = jsonschema.FormatChecker()
check("uri-reference" in formats.checkers, "jsonschema can check the uri-reference format (python3-rfc3987)")
validator = Validator(schema, format_checker=formats)


def violations(doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


sarif = json.loads(run("check", "--policy", "docs/examples/policy.yaml", ACME, "--format", "sarif", code=1))
errors = violations(sarif)
check(not errors, "SARIF does not validate against the official schema: " + "; ".join(errors[:3]))
check(sarif.get("version") == "2.1.0" and len(sarif.get("runs", [])) == 1, "one SARIF 2.1.0 run")
run0 = sarif["runs"][0]
results = run0["results"]
rules = run0["tool"]["driver"]["rules"]
check(run0["tool"]["driver"]["name"] == "blastmap", "the driver is blastmap")
check(len(results) > 0, "the example policy finds violations on acme-ai")
for res in results:
    # What code-scanning tools need to annotate a pull request, beyond what the schema requires.
    check(res.get("ruleId") and res.get("level") in ("error", "warning", "note") and res.get("message", {}).get("text"),
          f"result has ruleId, level and message: {res}")
    check(len(res.get("locations", [])) == 1, f"one location: {res.get('ruleId')}")
    if not res.get("locations"):
        continue
    loc = res["locations"][0]["physicalLocation"]
    path = REPO / loc["artifactLocation"]["uri"]
    check(path.is_file(), f"location {path} exists")
    if path.is_file():
        lines = path.read_text().splitlines()
        check(1 <= loc["region"]["startLine"] <= len(lines), f"line {loc['region']['startLine']} inside {path}")
    check(rules[res["ruleIndex"]]["id"] == res["ruleId"], "ruleIndex points at the rule")
dpa = [r for r in results if r["ruleId"] == "restricted-data-needs-a-dpa"]
check(len(dpa) == 1, "one restricted-data-needs-a-dpa violation")
if dpa:
    loc = dpa[0]["locations"][0]["physicalLocation"]
    line = (REPO / loc["artifactLocation"]["uri"]).read_text().splitlines()[loc["region"]["startLine"] - 1]
    check("to: apple" in line, f"the SARIF line is the flow's declaration: {line!r}")
# The schema is not vacuous: logs that break SARIF 2.1.0 are rejected.
for what, breaks in (
    ("a line 0", lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0)),
    ("version 2.0.0", lambda d: d.update(version="2.0.0")),
    ("a level 'fatal'", lambda d: d["runs"][0]["results"][0].update(level="fatal")),
    ("a result without a message", lambda d: d["runs"][0]["results"][0].pop("message")),
    ("an unknown top-level property", lambda d: d.update(extra=1)),
):
    broken = json.loads(json.dumps(sarif))
    breaks(broken)
    check(violations(broken), f"the official schema rejects {what}")
# A manifest path with a space and a '#' is percent-encoded into a valid URI reference that names the file.
with tempfile.TemporaryDirectory() as tmp:
    shutil.copytree(REPO / ACME, Path(tmp) / "our maps #1" / "acme-ai")
    spaced = json.loads(run("check", "--policy", str(REPO / "docs/examples/policy.yaml"), "our maps #1/acme-ai",
                            "--format", "sarif", code=1, cwd=tmp))
    errors = violations(spaced)
    check(not errors, "SARIF of a path with a space validates: " + "; ".join(errors[:3]))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in spaced["runs"][0]["results"]]
    check(uris and all(u.startswith("our%20maps%20%231/acme-ai/") for u in uris), f"encoded uris: {uris[:2]}")
    check(all((Path(tmp) / unquote(u)).is_file() for u in uris), "the decoded uris name the manifests")

# 1b. SARIF of a Fides policy violation (docs/examples/fides_policy.yml on the Fides fixture tree).
fides = json.loads(run("check", "--policy", "docs/examples/fides_policy.yml", "tests/importers/fixtures/fides",
                       "--format", "sarif", code=1))
errors = violations(fides)
check(not errors, "Fides SARIF does not validate: " + "; ".join(errors[:3]))
fides_results = fides["runs"][0]["results"]
check(len(fides_results) == 1, f"one Fides violation, found {len(fides_results)}")
for res in fides_results:
    loc = res["locations"][0]["physicalLocation"]
    line = (REPO / loc["artifactLocation"]["uri"]).read_text().splitlines()[loc["region"]["startLine"] - 1]
    check("- name: Email campaigns" in line, f"the SARIF line is the privacy declaration: {line!r}")
    rule = res["relatedLocations"][0]["physicalLocation"]
    line = (REPO / rule["artifactLocation"]["uri"]).read_text().splitlines()[rule["region"]["startLine"] - 1]
    check("- name: Reject direct marketing" in line, f"the related location is the rule: {line!r}")
    rules = fides["runs"][0]["tool"]["driver"]["rules"]
    check(rules[res["ruleIndex"]]["id"] == res["ruleId"], "ruleIndex points at the Fides rule")

with tempfile.TemporaryDirectory() as tmp:
    db = str(Path(tmp) / "acme.db")
    run("import", ACME, "--db", db)
    # 2. Graphviz
    for extra in ([], ["--blast", "mixpanel"], ["--around", "okta", "--depth", "1"]):
        dot = run("export", "--format", "dot", "--db", db, *extra)
        r = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True)
        check(r.returncode == 0 and "<svg" in r.stdout, f"dot renders export {extra}: {r.stderr[:200]}")
    # 3. GraphML
    graphml = Path(tmp) / "map.graphml"
    graphml.write_text(run("export", "--format", "graphml", "--db", db, "--blast", "okta"))
    g = networkx.read_graphml(graphml)
    exported = json.loads(run("export", "--format", "json", "--db", db))
    check(g.number_of_nodes() == len(exported["nodes"]), "GraphML has every node")
    check(g.number_of_edges() == len(exported["edges"]), "GraphML has every edge")
    check(g.nodes["okta"]["state"] == "seed" and g.nodes["okta"]["kind"] == "vendor", "GraphML node attributes")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
