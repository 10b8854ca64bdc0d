// The query engine facade: one loaded snapshot and the queries over it. The CLI and the web server
// call only this.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/incident.h"
#include "core/regulation.h"
#include "core/status.h"
#include "query/blast_result.h"
#include "query/brief_memo.h"
#include "query/concentration.h"
#include "query/graph_view.h"
#include "query/lang/table.h"
#include "query/minimise.h"
#include "query/paths.h"
#include "query/rank.h"
#include "query/replay.h"
#include "query/show.h"
#include "query/what_if.h"
#include "query/who_holds.h"

namespace blastmap::query {

class Engine {
 public:
  // How much of the model an engine keeps in memory. kLean: the graph is lean (core::Graph::lean): the
  // model's flows, accesses and holdings stay in the store, read one at a time when a brief renders them,
  // and the queries that walk the whole model (what-if, diff, export, minimise, the query language,
  // policy checks) read it on first use and keep it. kWhole: the whole model is read at
  // once, for a command that needs it anyway. A dated engine (`at`) is always whole.
  enum class Residency { kLean, kWhole };
  // Loads snapshot `snapshot` (the latest when unset) of the store at `db_path`, read-only, as the map
  // was on date `at` (YYYY-MM-DD, see query/time_window.h) when `at` is not empty.
  static core::Result<std::unique_ptr<Engine>> Open(const std::string& db_path,
                                                    std::optional<int64_t> snapshot,
                                                    const std::string& at = "",
                                                    Residency residency = Residency::kLean);
  // An engine over a model already in memory (tests, what-if); `snapshot` is only reported.
  static core::Result<std::unique_ptr<Engine>> FromModel(core::Model model, int64_t snapshot = 0,
                                                         const std::string& at = "");

  // The notification rules the briefs evaluate (docs/obligations.md); none until set. The contractual
  // notice windows of compromised vendors are reported either way.
  void set_rules(std::vector<core::NotificationRule> rules) { rules_ = std::move(rules); }

  int64_t snapshot() const { return snapshot_; }
  const std::string& at() const { return at_; }
  const core::Graph& graph() const { return *graph_; }
  // The graph, shared: the briefs this engine returns hold it (BlastResult::graph) and so outlive it.
  const std::shared_ptr<const core::Graph>& shared_graph() const { return graph_; }
  // The brief memos (query/brief_memo.h) once Warm() built them, else null. Briefs compose them when built;
  // without them a brief runs the plain search, which a one-shot command prefers (building them costs
  // about as much as one search through each memoised region). A ranking takes its memos of the groups
  // from them when they are built, and searches the groups itself otherwise.
  std::shared_ptr<const BriefMemos> brief_memos() const;
  // The ranking's per-snapshot memos once Warm() or a Rank() built them, else null (waits while they are
  // being built).
  std::shared_ptr<const RankMemos> rank_memos() const;
  // Builds this snapshot's per-snapshot precomputation, for a server or a benchmark about to run many
  // queries: the brief memos (a brief of a vendor entering a big likelihood-1 group composes them instead of
  // searching through it) and the ranking's memos (RankMemos, which the first Rank() builds otherwise). Safe
  // to call from several threads (one builds, the others wait) and more than once (the later calls return
  // at once). Under a CancelScope a cancelled build throws Cancelled and keeps what was finished before.
  void Warm() const;

  // The incident brief for compromising all of `seeds` at once. Errors: no seed, or an unknown id
  // (with a did-you-mean).
  core::Result<BlastResult> Blast(const std::vector<std::string>& seeds,
                                  const BlastOptions& options = {}) const;
  // Replays a historical incident on this map: its seeds (by identity, else role), the brief for their
  // joint compromise, and the comparison with what really leaked. Never fails: an incident that matches
  // no vendor gives match "none" and an empty brief.
  core::Result<ReplayResult> Replay(const core::Incident& incident, const BlastOptions& options = {}) const;
  // Fourth-party concentration: sub-processors that at least `min_vendors` vendors send data to.
  std::vector<ConcentrationRow> Concentration(int min_vendors = 1) const;
  // One node in full; an error for an unknown id.
  core::Result<NodeDetails> Show(const std::string& id) const;
  // Every candidate node (by default every vendor) ranked by how bad its compromise would be. The shared
  // work of ranking (query/rank_shared.h) is built by the first unbounded ranking and kept for the next.
  RankResult Rank(const RankOptions& options = {}) const;
  // Who holds `category` and which vendors would expose it (query/who_holds.h); an error for an unknown
  // category.
  core::Result<WhoHoldsResult> WhoHolds(const std::string& category,
                                        const WhoHoldsOptions& options = {}) const;
  // Flow and access paths from one node to another, shortest first; an error for an unknown id.
  core::Result<PathsResult> Paths(const std::string& from, const std::string& to,
                                  const PathOptions& options = {}) const;
  // A drawable view of the map: the whole of it, the neighbourhood of node `focus` (when not empty; an
  // error for an unknown id) or an overview when it has more than options.max_elements elements.
  core::Result<GraphView> View(const std::string& focus, GraphViewOptions options) const;
  // The smallest set of (flow, category) cuts after which compromising `vendor` exposes nothing the goal
  // (text: "no user.contact", "no sensitivity >= restricted") forbids. Errors: unknown node, bad goal.
  core::Result<MinimiseResult> Minimise(const std::string& vendor, const std::string& goal,
                                        const BlastOptions& options = {},
                                        CutCost cost = CutCost::kCuts) const;
  // Parses and runs a query-language script (docs/query-language.md), one table per statement. Errors
  // (syntax, unknown column, node or category) are "NAME:LINE:COL: message" with `name` naming the text.
  core::Result<std::vector<lang::Table>> Query(const std::string& text,
                                               const std::string& name = "query") const;
  // The brief for `seeds` before and after applying `overlay` in memory (the store is never written), and
  // the delta. Seeds the overlay removes are simply absent afterwards. Errors: as Blast, or the overlay's.
  core::Result<WhatIfResult> WhatIf(const Overlay& overlay, const std::vector<std::string>& seeds,
                                    const BlastOptions& options = {}) const;
  // The node index of `id`, or an error "no node 'x' (did you mean 'y'?)".
  core::Result<uint32_t> Resolve(const std::string& id) const;

 private:
  // The memos, built on first need (see Warm).
  std::shared_ptr<const BriefMemos> EnsureBriefMemos() const;
  std::shared_ptr<const RankMemos> EnsureRankMemos() const;
  Engine(std::shared_ptr<const core::Graph> graph, int64_t snapshot, std::string at)
      : graph_(std::move(graph)), snapshot_(snapshot), at_(std::move(at)) {}
  std::shared_ptr<const core::Graph> graph_;  // never null
  int64_t snapshot_;
  std::string at_;
  std::vector<core::NotificationRule> rules_;
  // Built by Warm(); the builders hold brief_build_mu_, the pointer is read and set
  // under brief_memos_mu_ (held only to copy it, so briefs never wait for a build).
  mutable std::mutex brief_build_mu_, brief_memos_mu_;
  mutable std::shared_ptr<const BriefMemos> brief_memos_;
  // Built by Warm() or the first Rank() that can use it (a cancelled build keeps none); guarded by
  // rank_memos_mu_.
  mutable std::mutex rank_memos_mu_;
  mutable std::shared_ptr<const RankMemos> rank_memos_;
};

}  // namespace blastmap::query
