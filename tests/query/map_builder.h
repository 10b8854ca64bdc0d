// A tiny builder of hand-made maps over the default taxonomy, for the query tests.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "importers/import.h"
#include "query/engine.h"

namespace blastmap::query::testing {

using core::NodeKind;
using core::Privilege;

struct MapBuilder {
  core::Model model;
  MapBuilder() {
    auto taxonomy = importers::LoadDefaultTaxonomy();
    REQUIRE(taxonomy.ok());
    model.taxonomy = taxonomy.take();
  }
  MapBuilder& Node(const std::string& id, NodeKind kind = NodeKind::kSystem) {
    model.nodes.push_back({id, {}, id, {"test.yaml", static_cast<int>(model.nodes.size() + 1), 1}, kind});
    return *this;
  }
  MapBuilder& Stores(const std::string& node, std::vector<std::string> cats, int64_t records = -1,
                     std::vector<std::string> subjects = {}) {
    model.holdings.push_back(
        {node, core::ToSymbols(cats), core::ToSymbols(subjects), {"stores.yaml", 1, 1}, records});
    return *this;
  }
  MapBuilder& Flow(const std::string& from, const std::string& to, std::vector<std::string> cats,
                   int64_t records = -1, std::vector<std::string> subjects = {}) {
    core::Flow f;
    f.from = from;
    f.to = to;
    f.forwards_all = cats.size() == 1 && cats[0] == "*";
    if (!f.forwards_all) f.categories = core::ToSymbols(cats);
    f.records = records;
    f.subjects = core::ToSymbols(subjects);
    f.where = {"flows.yaml", static_cast<int>(model.flows.size() + 10), 3};
    model.flows.push_back(std::move(f));
    return *this;
  }
  MapBuilder& Access(const std::string& from, const std::string& to, Privilege p, double likelihood = 1.0) {
    core::Access a;
    a.from = from;
    a.to = to;
    a.privilege = p;
    a.likelihood = likelihood;
    a.where = {"access.yaml", static_cast<int>(model.accesses.size() + 1), 1};
    model.accesses.push_back(std::move(a));
    return *this;
  }
  MapBuilder& Subject(const std::string& id, std::vector<std::string> jurisdictions) {
    model.subjects.push_back(
        {id, "customer", id, core::ToSymbols(jurisdictions), -1, {"subjects.yaml", 1, 1}});
    return *this;
  }
  BlastResult Blast(std::vector<std::string> seeds, BlastOptions options = {}) {
    auto engine = Engine::FromModel(model);
    REQUIRE(engine.ok());
    auto result = engine.value()->Blast(seeds, options);
    REQUIRE(result.ok());
    return result.take();
  }
};

}  // namespace blastmap::query::testing
