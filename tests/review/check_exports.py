#!/usr/bin/env python3
"""Checks blastmap's machine outputs with real tools, on datasets/acme-ai.

Usage: check_exports.py BLASTMAP_BINARY

1. `check --format sarif` with docs/examples/policy.yaml (and, 1b, with the Fides example policy on the Fides
   fixture tree) validates against docs/schema/blastmap-sarif.schema.json
   (the SARIF 2.1.0 structure we promise, written for this project), every location names a manifest file
   that exists and a line inside it, and a result's line is where the offending flow is declared.
2. `export --format dot` (whole map and a highlighted blast) is parsed and laid out by Graphviz `dot`.
3. `export --format graphml` is read by networkx.read_graphml with every node and edge.

Needs python3-jsonschema, python3-networkx and graphviz. Prints `N passed, M failed`; exits 1 on failure.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema
import networkx

REPO = Path(__file__).resolve().parents[2]
BIN = sys.argv[1]
ACME = "datasets/acme-ai"
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def run(*args, code=0):
    r = subprocess.run([BIN, *args], cwd=REPO, capture_output=True, text=True)
    check(r.returncode == code, f"blastmap {' '.join(args)}: exit {r.returncode}, expected {code}: {r.stderr}")
    return r.stdout


# 1. SARIF
schema = json.loads((REPO / "docs/schema/blastmap-sarif.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
sarif = json.loads(run("check", "--policy", "docs/examples/policy.yaml", ACME, "--format", "sarif", code=1))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(sarif))
check(not errors, "SARIF does not validate: " + "; ".join(e.message for e in errors[:3]))
results = sarif["runs"][0]["results"]
check(len(results) > 0, "the example policy finds violations on acme-ai")
for res in results:
    loc = res["locations"][0]["physicalLocation"]
    path = REPO / loc["artifactLocation"]["uri"]
    check(path.is_file(), f"location {path} exists")
    if path.is_file():
        lines = path.read_text().splitlines()
        check(1 <= loc["region"]["startLine"] <= len(lines), f"line {loc['region']['startLine']} inside {path}")
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    check(rules[res["ruleIndex"]]["id"] == res["ruleId"], "ruleIndex points at the rule")
dpa = [r for r in results if r["ruleId"] == "restricted-data-needs-a-dpa"]
check(len(dpa) == 1, "one restricted-data-needs-a-dpa violation")
if dpa:
    loc = dpa[0]["locations"][0]["physicalLocation"]
    line = (REPO / loc["artifactLocation"]["uri"]).read_text().splitlines()[loc["region"]["startLine"] - 1]
    check("to: apple" in line, f"the SARIF line is the flow's declaration: {line!r}")
# A broken SARIF must fail the schema (the schema is not vacuous).
broken = json.loads(json.dumps(sarif))
del broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"]
check(list(jsonschema.Draft202012Validator(schema).iter_errors(broken)), "a result without startLine is rejected")

# 1b. SARIF of a Fides policy violation (docs/examples/fides_policy.yml on the Fides fixture tree).
fides = json.loads(run("check", "--policy", "docs/examples/fides_policy.yml", "tests/importers/fixtures/fides",
                       "--format", "sarif", code=1))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(fides))
check(not errors, "Fides SARIF does not validate: " + "; ".join(e.message for e in errors[:3]))
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
