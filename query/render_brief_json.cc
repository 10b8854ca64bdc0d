// The incident brief as JSON, written while the brief is walked (query/json_writer.h): a brief can list
// hundreds of thousands of nodes, each with its access path, so it is never built as one DOM.
#include "query/access_path.h"
#include "query/cancel.h"
#include "query/json_values.h"
#include "query/provenance.h"
#include "query/render.h"
#include "query/report.h"

namespace blastmap::query {
namespace {

using json = nlohmann::ordered_json;

void Where(JsonWriter& w, const core::Provenance& p) {
  w.Key("file");
  w.String(p.file);
  w.Key("line");
  w.Int(p.line);
}

// One obligation is small and a brief has a few dozen: a DOM each keeps the shape readable.
json ObligationJson(const Obligation& o) {
  return {{"rule", o.rule},
          {"regulation", o.regulation},
          {"duty", o.duty},
          {"notify", o.notify},
          {"owed_by", o.owed_by},
          {"deadline_hours", o.deadline_hours ? json(*o.deadline_hours) : json(nullptr)},
          {"deadline", o.deadline},
          {"due", o.due.empty() ? json(nullptr) : json(o.due)},
          {"possible", o.possible},
          {"why",
           {{"triggers", o.triggers},
            {"categories", o.categories},
            {"subjects", o.subjects},
            {"jurisdictions", o.jurisdictions},
            {"records", RecordsJson(o.records)},
            {"likelihood", RoundLikelihood(o.likelihood)}}},
          {"applies_if", o.applies_if},
          {"note", o.note},
          {"citation", o.citation},
          {"sources", o.sources},
          {"file", o.where.file},
          {"line", o.where.line}};
}

void CompromisedJson(JsonWriter& w, const BlastResult& r, size_t i) {
  const CompromisedNode& c = r.compromised[i];
  const std::vector<AccessHop> hops = HopsOf(r, i);
  w.BeginObject();
  w.Key("id");
  w.String(c.id());
  w.Key("name");
  w.String(c.name());
  w.Key("kind");
  w.String(core::NodeKindName(c.kind()));
  w.Key("likelihood");
  w.Double(RoundLikelihood(c.likelihood));
  w.Key("via");
  w.String(ViaName(c.via));
  w.Key("controlled");
  w.Bool(c.controlled);
  w.Key("integrity");
  w.Bool(c.integrity);
  w.Key("path");  // PathOf(r, i), from the hops already walked
  w.BeginArray();
  w.String(hops.empty() ? c.id() : hops.front().from.str());
  for (const AccessHop& h : hops) w.String(h.to);
  w.EndArray();
  w.Key("access");
  w.BeginArray();
  for (const AccessHop& h : hops) {
    w.BeginObject();
    w.Key("from");
    w.String(h.from);
    w.Key("to");
    w.String(h.to);
    w.Key("privilege");
    w.String(core::PrivilegeName(h.privilege));
    w.Key("mechanism");
    w.String(h.mechanism);
    w.Key("likelihood");
    w.Double(RoundLikelihood(h.likelihood));
    Where(w, h.where);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void ExposedJson(JsonWriter& w, const BlastResult& r, const ExposedCategory& e, size_t max_nodes) {
  w.BeginObject();
  w.Key("category");
  w.String(e.category());
  w.Key("name");
  w.String(e.name());
  w.Key("sensitivity");
  w.String(core::SensitivityName(e.sensitivity));
  w.Key("flags");
  w.Strings(core::ToStrings(e.flags));
  w.Key("nodes");
  const size_t listed = ListedNodes(e.holders.size(), max_nodes);
  w.BeginArray();
  for (size_t k = 0; k < listed; ++k) w.String(r.compromised[e.holders[k]].id());
  w.EndArray();
  if (listed < e.holders.size()) {
    w.Key("nodes_total");
    w.Int(static_cast<int64_t>(e.holders.size()));
  }
  w.Key("likelihood");
  w.Double(RoundLikelihood(e.likelihood));
  w.Key("records_max");
  w.Value(RecordsJson(e.records_max));
  w.Key("records_sum");
  w.Value(RecordsJson(e.records_sum));
  w.Key("subjects");
  w.Strings(e.subjects.strings());
  w.Key("jurisdictions");
  w.Strings(e.jurisdictions().strings());
  w.Key("provenance");
  w.BeginArray();
  for (const auto& hop : e.provenance) {
    const HopText h = ReadHop(*r.source, hop);
    w.BeginObject();
    w.Key("kind");
    w.String(FlowHopKindName(h.kind));
    w.Key("from");
    w.String(h.from);
    w.Key("to");
    w.String(h.to);
    w.Key("categories");
    w.Strings(h.categories);
    Where(w, h.where);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

void WriteBlastJson(JsonWriter& w, const BlastResult& r, size_t max_nodes) {
  const size_t total = r.compromised.size();
  const size_t listed = ListedNodes(total, max_nodes);
  PrepareToList(r, listed);
  w.BeginObject();
  w.Key("snapshot");
  w.Int(r.snapshot);
  w.Key("at");
  w.Value(r.at.empty() ? json(nullptr) : json(r.at));
  w.Key("seeds");
  w.Strings(r.seeds);
  w.Key("options");
  w.Value(json{{"min_likelihood", r.options.min_likelihood},
               {"max_depth", r.options.max_depth < 0 ? json(nullptr) : json(r.options.max_depth)},
               {"discovered", r.options.discovered.empty() ? json(nullptr) : json(r.options.discovered)}});
  if (listed < total) {
    w.Key("truncated");
    w.Value(json{{"max_nodes", max_nodes}, {"nodes_listed", listed}, {"nodes_total", total}});
  }
  w.Key("compromised");
  w.BeginArray();
  for (size_t i = 0; i < listed; ++i) {
    CheckCancel();
    CompromisedJson(w, r, i);
  }
  w.EndArray();
  w.Key("exposed");
  w.BeginArray();
  for (const auto& e : r.exposed) ExposedJson(w, r, e, max_nodes);
  w.EndArray();
  w.Key("not_exposed_sensitive");
  w.BeginArray();
  for (const auto& n : r.not_exposed_sensitive) {
    w.Value(json{{"category", n.category()},
                 {"name", n.name()},
                 {"sensitivity", core::SensitivityName(n.sensitivity())},
                 {"flags", n.flags()},
                 {"held_at", n.held_at()}});
  }
  w.EndArray();
  w.Key("severity");
  w.Value(json{{"score", r.severity.score},
               {"level", r.severity.level},
               {"factors",
                {{"data", RoundLikelihood(r.severity.data)},
                 {"volume", RoundLikelihood(r.severity.volume)},
                 {"jurisdiction", RoundLikelihood(r.severity.jurisdiction)}}}});
  w.Key("obligations");
  w.BeginArray();
  for (const auto& o : r.obligations) w.Value(ObligationJson(o));
  w.EndArray();
  w.Key("jurisdictions_without_rules");
  w.Strings(r.jurisdictions_without_rules);
  w.EndObject();
}

std::string BlastToJson(const BlastResult& r, size_t max_nodes) {
  return IndentedJson([&](JsonWriter& w) { WriteBlastJson(w, r, max_nodes); });
}

void WriteBlastJson(const BlastResult& r, size_t max_nodes,
                    const std::function<void(std::string_view)>& sink) {
  IndentedJson(sink, [&](JsonWriter& w) { WriteBlastJson(w, r, max_nodes); });
}

}  // namespace blastmap::query
