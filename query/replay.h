// Replaying a historical incident on a map (SPEC §8, docs/incidents.md): find the vendor it hit (by
// identity, else by role and access), compute the brief, and compare it with what really leaked.
#pragma once

#include <string>
#include <vector>

#include "core/graph.h"
#include "core/incident.h"
#include "query/blast_result.h"

namespace blastmap::query {

struct ReplaySeed {
  std::string id, name;
  std::string
      how;  // why it was chosen, e.g. "identity: 'mixpanel'" or "role analytics, write via oauth token"
};

// One category that really leaked at the victims, and the categories exposed here that match it along
// the hierarchy (empty: this map would not have leaked it).
struct ReplayCategory {
  std::string category;
  std::vector<std::string> here;
};

struct ReplayResult {
  core::Incident incident;
  std::string match;  // "identity", "role" or "none" (nothing in the map is like the vendor hit)
  std::vector<ReplaySeed> seeds;
  BlastResult brief;                           // empty when match is "none"
  std::vector<ReplayCategory> really_exposed;  // in the incident's order
  std::vector<std::string> beyond;             // exposed here, unrelated to anything that really leaked
  std::vector<std::string> said_not_exposed;   // exposed here although the vendor said it was not leaked
};

// The seeds of `incident` in `graph`: the vendors matching it by identity (node id or name, ignoring
// case), else every vendor of one of its roles holding one of its access privileges (and mechanisms).
std::vector<ReplaySeed> FindIncidentSeeds(const core::Graph& graph, const core::Incident& incident,
                                          std::string& match);

// Fills the comparison fields of `replay` from replay.brief and replay.incident.
void CompareWithIncident(ReplayResult& replay);

// Whether category keys a and b are on one root-to-leaf line (either is the other or its ancestor). Keys
// are compared as text, so incident keys need not be in the map's taxonomy.
bool KeysRelated(const std::string& a, const std::string& b);

}  // namespace blastmap::query
