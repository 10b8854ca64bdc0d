#include "query/engine.h"

#include <algorithm>

#include "core/store.h"
#include "core/text.h"
#include "query/blast_radius.h"
#include "query/lang/evaluator.h"
#include "query/lang/parser.h"
#include "query/obligations.h"
#include "query/rank_shared.h"
#include "query/time_window.h"

namespace blastmap::query {

core::Result<std::unique_ptr<Engine>> Engine::Open(const std::string& db_path,
                                                   std::optional<int64_t> snapshot, const std::string& at,
                                                   Residency residency) {
  auto store = core::Store::Open(db_path, /*read_only=*/true);
  if (!store.ok()) return store.status();
  int64_t id = 0;
  if (snapshot) {
    id = *snapshot;
  } else {
    auto latest = store.value()->LatestSnapshot();
    if (!latest.ok()) return latest.status();
    id = latest.value();
  }
  if (residency == Residency::kWhole || !at.empty()) {
    auto model = store.value()->LoadSnapshot(id);
    if (!model.ok()) return model.status();
    return FromModel(model.take(), id, at);
  }
  // Built from the store's columns, with the store's elements attached (core::Graph::lean).
  auto graph = store.value()->LoadGraph(id);
  if (!graph.ok()) return graph.status();
  return std::unique_ptr<Engine>(new Engine(std::make_shared<const core::Graph>(graph.take()), id, at));
}

core::Result<std::unique_ptr<Engine>> Engine::FromModel(core::Model model, int64_t snapshot,
                                                        const std::string& at) {
  if (!at.empty()) {
    auto dated = ModelAt(std::move(model), at);
    if (!dated.ok()) return dated.status();
    model = dated.take();
  }
  auto graph = core::Graph::Build(std::move(model));
  if (!graph.ok()) return graph.status();
  return std::unique_ptr<Engine>(new Engine(std::make_shared<const core::Graph>(graph.take()), snapshot, at));
}

std::shared_ptr<const BriefMemos> Engine::brief_memos() const {
  std::lock_guard lock(brief_memos_mu_);
  return brief_memos_;
}

std::shared_ptr<const RankMemos> Engine::rank_memos() const {
  std::lock_guard lock(rank_memos_mu_);
  return rank_memos_;
}

std::shared_ptr<const BriefMemos> Engine::EnsureBriefMemos() const {
  std::lock_guard build(brief_build_mu_);
  if (auto built = brief_memos()) return built;
  auto memos = std::make_shared<const BriefMemos>(BriefMemos::Build(*graph_));
  std::lock_guard lock(brief_memos_mu_);
  brief_memos_ = memos;
  return memos;
}

std::shared_ptr<const RankMemos> Engine::EnsureRankMemos() const {
  // The ranking's memos of the likelihood-1 groups come from the brief memos when they are built (Warm);
  // a ranking alone does not build them: they cost more than the searches of the groups they would spare
  // (at 10^6, 0.65 s against about 0.2 s), which a one-shot `blastmap rank` would pay for nothing else.
  const std::shared_ptr<const BriefMemos> brief = brief_memos();
  // Concurrent first rankings wait for one build instead of each building their own.
  std::lock_guard lock(rank_memos_mu_);
  if (!rank_memos_) rank_memos_ = BuildRankMemos(*graph_, 0, nullptr, brief.get());
  return rank_memos_;
}

void Engine::Warm() const {
  EnsureBriefMemos();
  EnsureRankMemos();
}

core::Result<uint32_t> Engine::Resolve(const std::string& id) const {
  auto v = graph_->Find(id);
  if (v >= 0) return static_cast<uint32_t>(v);
  std::vector<std::string> ids;
  ids.reserve(graph_->node_count());
  for (const auto& n : graph_->resident().nodes) ids.push_back(n.id);
  std::string when = at_.empty() ? "" : " as of " + at_ + " (a node not yet active then is left out)";
  return core::Status::Error("no node '" + id + "' in snapshot " + std::to_string(snapshot_) + when +
                             core::DidYouMean(id, ids));
}

core::Result<BlastResult> Engine::Blast(const std::vector<std::string>& seeds,
                                        const BlastOptions& options) const {
  if (seeds.empty()) return core::Status::Error("name at least one node to compromise");
  if (options.min_likelihood < 0 || options.min_likelihood > 1) {
    return core::Status::Error("min likelihood must be between 0 and 1");
  }
  if (!options.discovered.empty() && !ParseUtc(options.discovered)) {
    return core::Status::Error(
        "--discovered: expected a UTC time YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z], found '" +
        options.discovered + "'");
  }
  std::vector<uint32_t> indices;
  for (const auto& id : seeds) {
    auto v = Resolve(id);
    if (!v.ok()) return v.status();
    if (std::find(indices.begin(), indices.end(), v.value()) == indices.end()) indices.push_back(v.value());
  }
  const std::shared_ptr<const BriefMemos> memos = brief_memos();
  BlastResult result = ComputeBlastRadius(graph_, indices, options, memos.get());
  result.snapshot = snapshot_;
  result.at = at_;
  EvaluateObligations(*graph_, rules_, result);
  return result;
}

core::Result<ReplayResult> Engine::Replay(const core::Incident& incident, const BlastOptions& options) const {
  ReplayResult replay;
  replay.incident = incident;
  replay.seeds = FindIncidentSeeds(*graph_, incident, replay.match);
  replay.brief.snapshot = snapshot_;
  replay.brief.at = at_;
  if (!replay.seeds.empty()) {
    std::vector<std::string> ids;
    for (const auto& s : replay.seeds) ids.push_back(s.id);
    auto brief = Blast(ids, options);
    if (!brief.ok()) return brief.status();
    replay.brief = brief.take();
  }
  CompareWithIncident(replay);
  return replay;
}

std::vector<ConcentrationRow> Engine::Concentration(int min_vendors) const {
  return ComputeConcentration(*graph_, min_vendors);
}

core::Result<NodeDetails> Engine::Show(const std::string& id) const {
  auto v = Resolve(id);
  if (!v.ok()) return v.status();
  return DescribeNode(*graph_, v.value());
}

RankResult Engine::Rank(const RankOptions& options) const {
  std::shared_ptr<const RankMemos> memos = SharedRankApplies(options.blast) ? rank_memos() : nullptr;
  if (SharedRankApplies(options.blast) && !memos) {
    // The first ranking builds the memos while it ranks (rank_shared.h) and keeps them; concurrent first
    // rankings wait for it, as for EnsureRankMemos.
    const std::shared_ptr<const BriefMemos> brief = brief_memos();
    std::lock_guard lock(rank_memos_mu_);
    if (!rank_memos_) {
      std::shared_ptr<const RankMemos> built;
      RankResult result = RankNodes(*graph_, options, &built, brief.get());
      rank_memos_ = std::move(built);
      result.snapshot = snapshot_;
      return result;
    }
    memos = rank_memos_;
  }
  RankResult result = RankNodes(*graph_, options, memos.get());
  result.snapshot = snapshot_;
  return result;
}

core::Result<WhoHoldsResult> Engine::WhoHolds(const std::string& category,
                                              const WhoHoldsOptions& options) const {
  int c = graph_->taxonomy().Index(category);
  if (c < 0) {
    auto near = graph_->taxonomy().SuggestCategories(category, 1);
    return core::Status::Error("unknown category '" + category + "'" +
                               (near.empty() ? std::string() : " (did you mean '" + near.front() + "'?)"));
  }
  WhoHoldsResult result = query::WhoHolds(*graph_, c, options);
  result.snapshot = snapshot_;
  return result;
}

core::Result<PathsResult> Engine::Paths(const std::string& from, const std::string& to,
                                        const PathOptions& options) const {
  auto a = Resolve(from);
  if (!a.ok()) return a.status();
  auto b = Resolve(to);
  if (!b.ok()) return b.status();
  PathsResult result = FindPaths(*graph_, a.value(), b.value(), options);
  result.snapshot = snapshot_;
  return result;
}

core::Result<GraphView> Engine::View(const std::string& focus, GraphViewOptions options) const {
  if (!focus.empty()) {
    auto v = Resolve(focus);
    if (!v.ok()) return v.status();
    options.focus = v.value();
  }
  if (options.depth < 0) return core::Status::Error("depth must not be negative");
  GraphView view = BuildGraphView(*graph_, options);
  view.snapshot = snapshot_;
  return view;
}

core::Result<MinimiseResult> Engine::Minimise(const std::string& vendor, const std::string& goal_text,
                                              const BlastOptions& options, CutCost cost) const {
  auto v = Resolve(vendor);
  if (!v.ok()) return v.status();
  auto goal = ParseGoal(goal_text, graph_->taxonomy());
  if (!goal.ok()) return goal.status();
  return query::Minimise(*graph_, v.value(), goal.value(), options, cost);
}

core::Result<std::vector<lang::Table>> Engine::Query(const std::string& text, const std::string& name) const {
  auto statements = lang::ParseScript(name, text);
  if (!statements.ok()) return statements.status();
  return lang::Evaluate(*this, statements.value(), name);
}

core::Result<WhatIfResult> Engine::WhatIf(const Overlay& overlay, const std::vector<std::string>& seeds,
                                          const BlastOptions& options) const {
  if (seeds.empty()) return core::Status::Error("name at least one node to compromise");
  auto model = ApplyOverlay(graph_->model(), overlay);
  if (!model.ok()) return model.status();
  auto after_engine = FromModel(model.take(), snapshot_);
  if (!after_engine.ok()) return after_engine.status();
  // The brief after shares the what-if graph, which goes away with `after_engine` at the end of this call.
  const std::shared_ptr<const core::Graph>& after_graph = after_engine.value()->shared_graph();
  // A seed may exist only before (the overlay removes it) or only after (the overlay adds it).
  std::vector<uint32_t> before_seeds, after_seeds;
  for (const auto& id : seeds) {
    auto before = graph_->Find(id), after = after_graph->Find(id);
    if (before < 0 && after < 0) return Resolve(id).status();
    if (before >= 0) before_seeds.push_back(static_cast<uint32_t>(before));
    if (after >= 0) after_seeds.push_back(static_cast<uint32_t>(after));
  }
  auto unique = [](std::vector<uint32_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  unique(before_seeds);
  unique(after_seeds);
  WhatIfResult result;
  result.overlay = overlay;
  result.before = ComputeBlastRadius(graph_, before_seeds, options);
  result.after = ComputeBlastRadius(after_graph, after_seeds, options);
  result.before.seeds = result.after.seeds = seeds;
  result.before.snapshot = result.after.snapshot = snapshot_;
  result.delta = CompareBlasts(result.before, result.after);
  return result;
}

}  // namespace blastmap::query
