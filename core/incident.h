// A historical supply-chain incident as a replayable scenario (datasets/incidents/*.yaml): the vendor it
// hit, how to find that vendor (or one like it) in a map, and what really leaked at the victims.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace blastmap::core {

struct IncidentSource {
  std::string title;
  std::string url;  // a citation, never fetched
};

struct Incident {
  std::string id;  // the file name without extension, e.g. mixpanel-2025
  std::string name;
  std::string date;       // when the attacker was in (YYYY-MM-DD), the start of the window
  std::string disclosed;  // when it was made public
  std::string summary;
  std::string attack;  // how the attacker got in and what they did
  // The vendor hit, and how to find it in a map: by identity (node ids or names, case-insensitive),
  // else by role: every vendor whose `role` is one of `roles` and that holds an access edge with one of
  // `access` privileges (any vendor of the role when empty) through a mechanism containing one of
  // `mechanisms` (any when empty).
  std::string vendor;
  std::vector<std::string> match;
  std::vector<std::string> roles;
  std::vector<Privilege> access;
  std::vector<std::string> mechanisms;
  // What really happened at the victims, as category keys: what leaked, and what the vendor said did not.
  std::vector<std::string> exposed;
  std::vector<std::string> not_exposed;
  std::string victims;  // who was hit and how many
  std::vector<IncidentSource> sources;
  Provenance where;
};

}  // namespace blastmap::core
