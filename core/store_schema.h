// The SQL schema of a blastmap store (schema version 3; version 2 added the flows' active window, version 3
// the Fides privacy declarations and policies), kept apart from store.cc so the code that reads and writes
// rows stays short. Every table below `snapshots` is keyed by the snapshot id.
#pragma once

namespace blastmap::core {

inline constexpr int kStoreSchemaVersion = 3;
// The oldest schema this blastmap migrates in place: version 2 differs only by the tables version 3 added
// (created by kStoreSchemaSql's IF NOT EXISTS); its snapshots load with no declarations and no policies.
inline constexpr int kStoreMigratableVersion = 2;
inline constexpr const char* kStoreApplication = "blastmap";

// Conventions:
// - `pos` is the 0-based position of the row in its Model vector; loads order by it, so a model
//   comes back in the order it was saved. Tables are WITHOUT ROWID with a primary key that starts
//   (snapshot, pos): the key is the snapshot index, a snapshot's rows are stored together in load
//   order, and a bulk insert maintains one b-tree per table instead of a table and an index.
// - List columns (categories, subjects, jurisdictions, tags) hold every element followed by the
//   unit separator 0x1F: '' is the empty list, so [] and [""] stay distinct. Elements never hold 0x1F
//   (SaveSnapshot refuses them).
// - records is NULL when unknown (kUnknownRecords), so SQL aggregates skip it.
// - Categories keep what was declared, not what Finalize() resolved: NULL sensitivity, flags or tags
//   mean "inherit"; a declared empty tag list is ''.
inline constexpr const char* kStoreSchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS snapshots (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  source TEXT NOT NULL,
  nodes INTEGER NOT NULL,
  flows INTEGER NOT NULL,
  accesses INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS nodes (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  file TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

-- One row per attribute value; a key declared with no value is one row with a NULL value.
CREATE TABLE IF NOT EXISTS node_attrs (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  node_pos INTEGER NOT NULL,
  key TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  value TEXT,
  PRIMARY KEY (snapshot, node_pos, key, ordinal)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS holdings (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  node TEXT NOT NULL,
  categories TEXT NOT NULL,
  subjects TEXT NOT NULL,
  records INTEGER,
  file TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS flows (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  from_node TEXT NOT NULL,
  to_node TEXT NOT NULL,
  forwards_all INTEGER NOT NULL,
  categories TEXT NOT NULL,
  subjects TEXT NOT NULL,
  purpose TEXT NOT NULL,
  records INTEGER,
  transport TEXT NOT NULL,
  required INTEGER NOT NULL,
  description TEXT NOT NULL,
  file TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,
  active_from TEXT NOT NULL,
  active_until TEXT NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS accesses (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  from_node TEXT NOT NULL,
  to_node TEXT NOT NULL,
  privilege TEXT NOT NULL,
  mechanism TEXT NOT NULL,
  likelihood REAL NOT NULL,
  description TEXT NOT NULL,
  file TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS subjects (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  jurisdictions TEXT NOT NULL,
  records INTEGER,
  file TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

-- flags is the Flag bit set.
CREATE TABLE IF NOT EXISTS categories (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  sensitivity TEXT,
  flags INTEGER,
  tags TEXT,
  file TEXT NOT NULL, line INTEGER NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS subject_kinds (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS data_uses (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

-- section is 'sensitivity', 'flags' or 'jurisdictions' (the SeverityWeights maps), or 'scalar'
-- with key breadth, volume_per_decade, medium, high or critical.
CREATE TABLE IF NOT EXISTS severity_weights (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  section TEXT NOT NULL,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (snapshot, section, key)) WITHOUT ROWID;

-- Fides privacy declarations (datasets: the dataset_references) and policies; a rule's three selectors
-- are a `matches` word and a list of keys each.
CREATE TABLE IF NOT EXISTS declarations (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  node TEXT NOT NULL,
  name TEXT NOT NULL,
  categories TEXT NOT NULL,
  use TEXT NOT NULL,
  subjects TEXT NOT NULL,
  datasets TEXT NOT NULL,
  file TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS fides_policies (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  pos INTEGER NOT NULL,
  fides_key TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  file TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,
  PRIMARY KEY (snapshot, pos)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS fides_rules (
  snapshot INTEGER NOT NULL REFERENCES snapshots(id),
  policy_pos INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  categories_match TEXT NOT NULL, categories TEXT NOT NULL,
  uses_match TEXT NOT NULL, uses TEXT NOT NULL,
  subjects_match TEXT NOT NULL, subjects TEXT NOT NULL,
  file TEXT NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL,
  PRIMARY KEY (snapshot, policy_pos, pos)) WITHOUT ROWID;
)sql";

}  // namespace blastmap::core
