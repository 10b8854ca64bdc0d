#!/usr/bin/env python3
"""Checks docs/schema/blastmap-manifest.schema.json against real and inline manifests.

Usage: validate_manifests.py [DIR_OR_FILE]     (default: datasets/acme-ai under the repository root)

1. The schema is a valid draft 2020-12 schema and every property in it has a description (hover help).
2. Every manifest under DIR (found as `blastmap import` finds them: *.yaml, *.yml, *.json, recursively,
   hidden files and folders skipped, every YAML document of a file) is valid; each problem is reported
   as FILE:LINE:COL: JSON-PATH: MESSAGE.
3. Inline manifests the reader rejects are rejected by the schema (at the expected place), and inline
   manifests it accepts (the short forms) are accepted.

YAML is read with the YAML 1.2 core schema, as editors (yaml-language-server) and the reader do:
`dpa: no` stays the string "no" and `dpa: 2023-04-01` the string "2023-04-01" (PyYAML's default YAML
1.1 rules would make them a boolean and a date). Duplicate keys are errors, as in the reader.

Needs python3-jsonschema (>= 4.0) and python3-yaml. Prints `N passed, M failed` last; exits 1 on any failure.
"""
import json
import re
import sys
from pathlib import Path

import jsonschema
import yaml

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "docs" / "schema" / "blastmap-manifest.schema.json"
DEFAULT_DATASET = REPO / "datasets" / "acme-ai"
MANIFEST_EXTENSIONS = {".yaml", ".yml", ".json"}


# ---- YAML 1.2 core schema loader ----------------------------------------------------------------------

class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars, string keys and duplicate-key errors."""

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "a key must be a plain string",
                    key_node.start_mark)
            key = key_node.value  # the reader sees every key as its text (the importers' libyaml tree)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, f"key '{key}' appears twice",
                    key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml12_int(self, node):
        text = self.construct_scalar(node)
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)

    def construct_yaml12_float(self, node):
        text = self.construct_scalar(node)
        lowered = text.lower()
        if lowered in (".nan",):
            return float("nan")
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        return float(text)


Yaml12Loader.yaml_implicit_resolvers = {}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", Yaml12Loader.construct_yaml12_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", Yaml12Loader.construct_yaml12_float)


class Document:
    """One manifest document: its data, and (for YAML) the node tree to find lines by JSON path."""

    def __init__(self, data, node=None):
        self.data = data
        self.node = node

    def mark(self, path):
        """The 1-based (line, col) of the value at `path` (a list of keys/indices), or None."""
        node = self.node
        if node is None:
            return None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                found = None
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == step:
                        found = value_node
                if found is None:
                    break
                node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
            else:
                break
        return node.start_mark.line + 1, node.start_mark.column + 1

    def key_mark(self, path, key):
        """The (line, col) of `key` in the mapping at `path`, or None."""
        node = self.node
        if node is None:
            return None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
            else:
                node = None
            if node is None:
                return None
        if isinstance(node, yaml.MappingNode):
            for k, _ in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == key:
                    return k.start_mark.line + 1, k.start_mark.column + 1
        return None


class LoadError(Exception):
    def __init__(self, line, col, message):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def load_yaml(text):
    """All documents of a YAML text, each with its node tree."""
    docs = []
    loader = Yaml12Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            docs.append(Document(loader.construct_document(node), node))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise LoadError(line, col, f"invalid YAML: {e.problem or e}") from None
    except yaml.YAMLError as e:
        raise LoadError(0, 0, f"invalid YAML: {e}") from None
    finally:
        loader.dispose()
    if not docs:  # an empty file is one empty document
        docs.append(Document(None))
    return docs


def load_json(text):
    def no_duplicates(pairs):
        out = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"key '{key}' appears twice")
            out[key] = value
        return out

    def no_constants(name):
        raise ValueError(f"invalid JSON literal {name}")

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants)
    except json.JSONDecodeError as e:
        raise LoadError(e.lineno, e.colno, f"invalid JSON: {e.msg}") from None
    except ValueError as e:
        raise LoadError(0, 0, f"invalid JSON: {e}") from None
    try:  # JSON is YAML too (the reader parses it so): its node tree gives lines for messages
        node = yaml.compose(text, Loader=Yaml12Loader)
    except yaml.YAMLError:
        node = None
    return [Document(data, node)]


def load_file(path):
    text = path.read_text(encoding="utf-8")
    return load_json(text) if path.suffix == ".json" else load_yaml(text)


# ---- reporting ---------------------------------------------------------------------------------------------

def json_path(path):
    out = "$"
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", step):
            out += "." + step
        else:
            out += "[" + json.dumps(step) + "]"
    return out


def shorten(text, limit=240):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def leaf_errors(error):
    """The sub-errors worth showing for an anyOf/oneOf failure: those of the alternatives whose type fits."""
    subs = list(error.context or [])
    here = list(error.absolute_path)
    wrong_type = {e.relative_schema_path[0] for e in subs
                  if e.validator == "type" and list(e.absolute_path) == here}
    relevant = [e for e in subs if e.relative_schema_path[0] not in wrong_type]
    return relevant or subs


def problems(validator, doc):
    """(path, (line, col) or None, message) for every schema error of a document, sorted by path."""
    out = []
    for error in validator.iter_errors(doc.data):
        path = list(error.absolute_path)
        where = doc.mark(path)
        if error.validator in ("anyOf", "oneOf") and error.context:
            subs = leaf_errors(error)
            # Point at the deepest relevant sub-error; list the alternatives' complaints.
            deepest = max(subs, key=lambda e: len(e.absolute_path))
            if len(deepest.absolute_path) > len(path):
                path = list(deepest.absolute_path)
                where = doc.mark(path)
            seen = []
            for e in subs:
                msg = shorten(e.message, 160)
                if msg not in seen:
                    seen.append(msg)
            message = "matches none of the allowed forms: " + " | ".join(seen[:4])
        elif error.validator == "oneOf":
            forms = " / ".join(s.get("description") or shorten(json.dumps(s, sort_keys=True), 80)
                               for s in error.validator_value)
            message = f"matches more than one of the forms that exclude each other ({forms}): give only one"
        else:
            message = shorten(error.message)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                known = error.schema.get("properties", {})
                extra = [k for k in error.instance if k not in known]
                if extra:
                    where = doc.key_mark(path, extra[0]) or where
        out.append((path, where, message))
    out.sort(key=lambda p: (json_path(p[0]), p[2]))
    return out


# ---- inline examples -------------------------------------------------------------------------------------

# (name, manifest text, JSON path at or under which an error must be reported)
INVALID = [
    ("unknown top-level key", "blastmap: 1\nsystem:\n  - id: api\n", "$"),
    ("format version 2", "blastmap: 2\n", "$.blastmap"),
    ("a list key with no list", "systems:\n", "$.systems"),
    ("unknown node key", "systems:\n  - id: api\n    colour: red\n", "$.systems[0]"),
    ("node without id", "systems:\n  - name: API\n", "$.systems[0]"),
    ("id starting with -", "systems:\n  - id: -api\n", "$.systems[0].id"),
    ("id with a space", "vendors:\n  - id: my vendor\n", "$.vendors[0].id"),
    ("vendor key on a system", "systems:\n  - id: api\n    role: analytics\n", "$.systems[0]"),
    ("system key on a vendor", "vendors:\n  - id: acme\n    type: saas\n", "$.vendors[0]"),
    ("system type not in the list", "systems:\n  - id: api\n    type: server\n", "$.systems[0].type"),
    ("flow inside a node with both from and to",
     "systems:\n  - id: api\n    flows:\n      - from: api\n        to: db\n        categories: user.name\n",
     "$.systems[0].flows[0]"),
    ("flow inside a node with neither from nor to",
     "systems:\n  - id: api\n    flows:\n      - categories: user.name\n", "$.systems[0].flows[0]"),
    ("access inside a node with both from and to",
     "vendors:\n  - id: v\n    access:\n      - {from: v, to: api, privilege: read}\n", "$.vendors[0].access[0]"),
    ("top-level flow without to", "flows:\n  - from: api\n    categories: user.name\n", "$.flows[0]"),
    ("top-level access without from", "access:\n  - to: api\n    privilege: read\n", "$.access[0]"),
    ("flow without categories", "flows:\n  - {from: api, to: db}\n", "$.flows[0]"),
    ("unknown flow key", "flows:\n  - {from: api, to: db, categories: user.name, volume: 3}\n", "$.flows[0]"),
    ("\"*\" inside a list of categories", "flows:\n  - from: api\n    to: db\n    categories: [\"*\"]\n",
     "$.flows[0].categories[0]"),
    ("category key in upper case (the reader: unknown category)", "flows:\n  - {from: api, to: db, categories: User.Name}\n",
     "$.flows[0].categories"),
    ("privilege root", "access:\n  - {from: a, to: b, privilege: root}\n", "$.access[0].privilege"),
    ("access without privilege", "access:\n  - {from: a, to: b}\n", "$.access[0]"),
    ("likelihood 0", "access:\n  - {from: a, to: b, privilege: read, likelihood: 0}\n", "$.access[0].likelihood"),
    ("likelihood 1.5", "access:\n  - {from: a, to: b, privilege: read, likelihood: 1.5}\n",
     "$.access[0].likelihood"),
    ("likelihood as text", "access:\n  - {from: a, to: b, privilege: read, likelihood: high}\n",
     "$.access[0].likelihood"),
    ("flow records -1", "flows:\n  - {from: a, to: b, categories: user.name, records: -1}\n",
     "$.flows[0].records"),
    ("flow active window with a bad date",
     "flows:\n  - {from: a, to: b, categories: user.name, active: {from: 2023-13-45}}\n",
     "$.flows[0].active.from"),
    ("flow active window with an unknown key",
     "flows:\n  - {from: a, to: b, categories: user.name, active: {since: 2023-01-01}}\n",
     "$.flows[0].active"),
    ("holding records -1", "stores:\n  - {node: a, categories: user.name, records: -1}\n", "$.stores[0].records"),
    ("subject records 1.5", "subjects:\n  - {id: s, kind: customer, records: 1.5}\n", "$.subjects[0].records"),
    ("required: yes (not a boolean)", "flows:\n  - {from: a, to: b, categories: user.name, required: yes}\n",
     "$.flows[0].required"),
    ("tier 5", "vendors:\n  - id: v\n    tier: 5\n", "$.vendors[0].tier"),
    ("tier 0", "vendors:\n  - id: v\n    tier: 0\n", "$.vendors[0].tier"),
    ("notice_hours -1", "vendors:\n  - id: v\n    notice_hours: -1\n", "$.vendors[0].notice_hours"),
    ("dpa maybe", "vendors:\n  - id: v\n    dpa: maybe\n", "$.vendors[0].dpa"),
    ("dpa not a real date", "vendors:\n  - id: v\n    dpa: 2023-13-01\n", "$.vendors[0].dpa"),
    ("active.from not a date", "vendors:\n  - id: v\n    active: {from: last year}\n", "$.vendors[0].active.from"),
    ("unknown key in active", "vendors:\n  - id: v\n    active: {since: 2023-01-01}\n", "$.vendors[0].active"),
    ("contacts as a mapping", "vendors:\n  - id: v\n    contacts: {email: a@b.c}\n", "$.vendors[0].contacts"),
    ("top-level holding without node", "stores:\n  - categories: user.name\n", "$.stores[0]"),
    ("node key in a holding inside a node",
     "systems:\n  - id: db\n    stores:\n      - {node: db, categories: user.name}\n", "$.systems[0].stores[0]"),
    ("holding inside a node without categories",
     "systems:\n  - id: db\n    stores:\n      - {records: 10}\n", "$.systems[0].stores[0]"),
    ("subject without kind", "subjects:\n  - id: customers\n", "$.subjects[0]"),
    ("category key with a dash", "categories:\n  - key: user.api-key\n", "$.categories[0].key"),
    ("category sensitivity secret", "categories:\n  - {key: user.x, sensitivity: secret}\n",
     "$.categories[0].sensitivity"),
    ("category flag pii", "categories:\n  - {key: user.x, flags: [health, pii]}\n", "$.categories[0].flags"),
    ("unknown category key", "categories:\n  - {key: user.x, parent: user}\n", "$.categories[0]"),
]

VALID = [
    ("empty document", ""),
    ("version only", "blastmap: 1\n"),
    ("stores item as a string (short form)",
     "systems:\n  - id: db\n    type: database\n    stores:\n      - user.contact.email\n"
     "      - categories: [user.name]\n        subjects: customers\n        records: 0\n"),
    ("categories as one string",
     "systems:\n  - id: api\n    flows:\n      - to: db\n        categories: user.contact.email\n"
     "    stores:\n      - categories: user.name\n"),
    ("flow with from inside a node",
     "systems:\n  - id: db\n    flows:\n      - from: api\n        categories: [user.name]\n"),
    ("access with from inside a node",
     "systems:\n  - id: web\n    access:\n      - {from: cdn, privilege: code, likelihood: 0.3}\n"),
    ("categories \"*\"", "vendors:\n  - id: mixpanel\n    flows:\n      - {to: gcp, categories: \"*\"}\n"),
    ("every vendor key, short forms",
     "vendors:\n  - id: acme.io/eu:1\n    name: Acme\n    description: d\n    owner: o@x.y\n    tags: infra\n"
     "    url: https://acme.io\n    role: hosting\n    country: NO\n    data_locations: EU\n"
     "    certifications: SOC2\n    dpa: no\n    tier: 4\n    contacts: sec@acme.io\n    notice_hours: 0\n"
     "    active: {from: 2020-01-31, until: 2024-12-31}\n"),
    ("dpa yes", "vendors:\n  - {id: v, dpa: yes, tier: 1}\n"),
    ("dpa as an unquoted date", "vendors:\n  - id: v\n    dpa: 2023-04-01\n    active: {from: 2023-04-01}\n"),
    ("every system key",
     "systems:\n  - id: api\n    name: API\n    description: d\n    owner: team\n    tags: [a, b]\n    url: u\n"
     "    type: other\n    environment: production\n    stores: []\n    flows: []\n    access: []\n"),
    ("top-level flows, access and stores",
     "flows:\n  - from: api\n    to: db\n    categories: [user.name, user.contact]\n    subjects: [customers]\n"
     "    purpose: essential.service\n    records: 12\n    transport: https\n    required: true\n"
     "    description: d\n"
     "access:\n  - {from: ci, to: api, privilege: admin, mechanism: deploy key, likelihood: 1, description: d}\n"
     "stores:\n  - {node: db, categories: user.name, subjects: customers, records: 3}\n"),
    ("subjects", "subjects:\n  - id: customers\n    kind: customer\n    name: Customers\n"
                 "    jurisdictions: [EU, US-CA]\n    records: 1000\n  - {id: staff, kind: employee, jurisdictions: UK}\n"),
    ("custom categories",
     "categories:\n  - key: user.account.organization_id\n    name: Org id\n    description: d\n"
     "    sensitivity: internal\n    flags: financial\n    tags: gdpr.personal_data\n"
     "  - {key: user.x, flags: [health, government_id], tags: [a, b]}\n"),
    ("small likelihood", "access:\n  - {from: a, to: b, privilege: write, likelihood: 0.001}\n"),
    ("JSON-style flow mapping", '{"flows": [{"from": "a", "to": "b", "categories": "*"}]}'),
    ("flow with an active window",
     "flows:\n  - {from: a, to: b, categories: user.name, active: {from: 2023-01-01, until: 2024-06-30}}\n"),
]


def rejected_at(errors, expected):
    """True when some error is reported at `expected` or under it."""
    for path, _, _ in errors:
        p = json_path(path)
        if p == expected or p.startswith(expected + ".") or p.startswith(expected + "["):
            return True
    return False


def doc_examples():
    """The ```yaml blocks of docs/manifest-format.md (each must be a valid manifest)."""
    doc = REPO / "docs" / "manifest-format.md"
    if not doc.exists():
        return []
    blocks = re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S)
    return [(f"docs/manifest-format.md example {i + 1}", b) for i, b in enumerate(blocks)]


def undescribed_properties(schema, where="#"):
    """JSON pointers of properties (in `properties` anywhere) without a description."""
    missing = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    if not (isinstance(sub, dict) and sub.get("description")):
                        missing.append(f"{where}/properties/{name}")
            missing += undescribed_properties(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            missing += undescribed_properties(value, f"{where}/{i}")
    return missing


def list_manifests(root):
    """The manifests under `root` as `blastmap import` lists them (sorted, hidden entries skipped)."""
    if root.is_file():
        return [root]
    files = []

    def walk(d):
        for entry in d.iterdir():
            if entry.name.startswith("."):
                continue
            if entry.is_dir() and not entry.is_symlink():
                walk(entry)
            elif entry.is_file() and entry.suffix in MANIFEST_EXTENSIONS:
                files.append(entry)

    walk(root)
    return sorted(files, key=lambda p: str(p))


def display(path):
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def main(argv):
    passed = failed = 0

    def result(ok, label, details=()):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {label}")
            for line in details:
                print(f"  {line}")

    # 1. The schema itself.
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
        result(True, "schema")
    except jsonschema.exceptions.SchemaError as e:
        result(False, f"{display(SCHEMA_PATH)} is not a valid draft 2020-12 schema", [shorten(e.message, 400)])
        print(f"{passed} passed, {failed} failed")
        return 1
    missing = undescribed_properties(schema)
    result(not missing, f"{display(SCHEMA_PATH)}: properties without a description", missing)
    validator = jsonschema.Draft202012Validator(schema)

    # 2. The dataset.
    root = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATASET
    if not root.is_absolute():
        root = (Path.cwd() / root) if root.exists() else (REPO / root)
    if not root.exists():
        print(f"note: {root} does not exist; checked the inline examples only")
    else:
        files = list_manifests(root)
        result(bool(files), f"{display(root)}: no manifests (*.yaml, *.yml, *.json) found")
        bad_files = 0
        for path in files:
            try:
                docs = load_file(path)
            except LoadError as e:
                bad_files += 1
                result(False, display(path), [f"{display(path)}:{e.line}:{e.col}: {e.message}"])
                continue
            except (OSError, UnicodeDecodeError) as e:
                bad_files += 1
                result(False, display(path), [f"{display(path)}: cannot read: {e}"])
                continue
            lines = []
            for n, doc in enumerate(docs):
                prefix = f"[document {n + 1}] " if len(docs) > 1 else ""
                for p, where, message in problems(validator, doc):
                    at = f"{display(path)}:{where[0]}:{where[1]}" if where else display(path)
                    lines.append(f"{at}: {prefix}{json_path(p)}: {message}")
            if lines:
                bad_files += 1
            result(not lines, display(path), lines)
        print(f"dataset {display(root)}: {len(files)} manifest(s), {len(files) - bad_files} valid, "
              f"{bad_files} invalid")

    # 3. Inline examples.
    for name, text, expected in INVALID:
        try:
            errors = [e for d in load_yaml(text) for e in problems(validator, d)]
        except LoadError as e:
            result(False, f"invalid example '{name}': does not load: {e.message}")
            continue
        ok = rejected_at(errors, expected)
        details = [f"expected an error at {expected}; got " +
                   ("none" if not errors else "; ".join(f"{json_path(p)}: {m}" for p, _, m in errors))]
        result(ok, f"invalid example '{name}' is not rejected at {expected}", details if not ok else ())
    for name, text in VALID + doc_examples():
        try:
            errors = [e for d in load_yaml(text) for e in problems(validator, d)]
        except LoadError as e:
            result(False, f"valid example '{name}': does not load: {e.message}")
            continue
        result(not errors, f"valid example '{name}' is rejected",
               [f"{json_path(p)}: {m}" for p, _, m in errors])

    # The loader itself: duplicate keys are errors, as in the reader.
    try:
        load_yaml("systems: []\nsystems: []\n")
        result(False, "a duplicate key is not reported by the loader")
    except LoadError:
        result(True, "duplicate key")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
