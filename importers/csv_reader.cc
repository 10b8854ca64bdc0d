#include "importers/csv_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "core/text.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {
namespace {

const std::vector<std::string> kMapKeys = {"columns", "delimiter", "source", "categories", "subjects"};

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// The position of byte `offset` of a cell's text.
core::Provenance PositionIn(const std::string& path, const CsvCell& cell, size_t offset) {
  int line = cell.line, col = cell.col + (cell.quoted ? 1 : 0);
  for (size_t i = 0; i < offset && i < cell.text.size(); ++i) {
    if (cell.text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(cell.text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return {path, line, col};
}

// Items of a list cell ("email; name, phone" or one per line), each with its byte offset.
std::vector<std::pair<std::string, size_t>> SplitList(const std::string& text) {
  std::vector<std::pair<std::string, size_t>> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ';' || text[i] == ',' || text[i] == '|' || text[i] == '\n') {
      std::string item = Trim(std::string_view(text).substr(start, i - start));
      size_t lead = start;
      while (lead < i && std::isspace(static_cast<unsigned char>(text[lead]))) ++lead;
      if (!item.empty()) out.emplace_back(item, lead);
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

CsvReader::CsvReader(const std::string& map_file, const std::vector<std::string>& columns,
                     const core::Taxonomy& taxonomy, Diagnostics& diag) {
  names_ = std::make_unique<CategoryNames>(taxonomy, diag);
  if (auto data = ImporterData("csv_columns.yaml", diag)) {
    auto fields = data->Get("fields");
    for (const auto& [field, at] :
         fields ? MapKeys(*fields) : std::vector<std::pair<std::string, core::Provenance>>{}) {
      for (const auto& h : fields->Get(field)->StringList(field, diag).value_or(std::vector<std::string>{})) {
        synonyms_[field].push_back(CategoryNames::Normalize(h));
      }
    }
  }
  std::vector<std::string> field_names;
  for (const auto& [f, _] : synonyms_) field_names.push_back(f);
  auto set_column = [&](const std::string& field, const std::string& header, const core::Provenance& at) {
    if (!synonyms_.count(field)) {
      diag.Error(at, "'" + field + "' is not a CSV field" + core::DidYouMean(field, field_names));
      return;
    }
    columns_[field] = header;
    column_at_[field] = at;
  };
  if (!map_file.empty()) {
    static std::string name;  // provenance outlives the reader
    name = map_file;
    auto docs = LoadDocuments(name, diag);
    if (docs && !docs->empty() && !docs->front()->root().IsNull()) {
      Field root(&name, docs->front());
      if (root.ExpectMap("CSV mapping", kMapKeys, diag)) {
        if (auto c = root.Get("columns"); c && c->ExpectMap("columns", field_names, diag)) {
          for (const auto& [field, at] : MapKeys(*c)) {
            if (auto h = c->Get(field)->String(field, diag)) set_column(field, *h, at);
          }
        }
        if (auto d = root.Get("delimiter")) {
          auto s = d->String("delimiter", diag);
          if (s && (*s == "," || *s == ";" || *s == "\t" || *s == "tab")) {
            delimiter_ = *s == "tab" ? '\t' : (*s)[0];
          } else if (s) {
            diag.Error(d->where(), "delimiter: expected ',', ';' or tab, found '" + *s + "'");
          }
        }
        if (auto s = root.Get("source")) source_ = s->String("source", diag).value_or(source_);
        if (auto c = root.Get("categories"); c && c->IsMap()) {
          for (const auto& [text, at] : MapKeys(*c)) {
            auto value = c->Get(text);
            auto key = value->String(text, diag);
            if (!key) continue;
            if (taxonomy.Index(*key) < 0) {
              auto near = taxonomy.SuggestCategories(*key, 1);
              diag.Error(value->where(), "unknown category '" + *key + "'" +
                                             (near.empty() ? "" : " (did you mean '" + near.front() + "'?)"));
              continue;
            }
            names_->AddAlias(text, *key);
          }
        } else if (c) {
          diag.Error(c->where(), "categories: expected a mapping of inventory names to category keys");
        }
        if (auto c = root.Get("subjects"); c && !c->IsMap()) {
          diag.Error(c->where(), "subjects: expected a mapping of inventory names to data subject kinds");
        } else if (c) {
          for (const auto& [text, at] : MapKeys(*c)) {
            if (auto kind = c->Get(text)->String(text, diag)) {
              if (!taxonomy.HasSubjectKind(*kind)) {
                std::vector<std::string> kinds;
                for (const auto& k : taxonomy.subject_kinds()) kinds.push_back(k.key);
                diag.Error(c->Get(text)->where(), "subject kind '" + *kind +
                                                      "' is not a data subject of the taxonomy" +
                                                      core::DidYouMean(*kind, kinds));
              }
              subject_aliases_[CategoryNames::Normalize(text)] = *kind;
            }
          }
        }
      }
    }
  }
  for (const auto& spec : columns) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      diag.Error({"--csv-column", 0, 0}, "expected FIELD=HEADER, found '" + spec + "'");
      continue;
    }
    set_column(Trim(spec.substr(0, eq)), Trim(spec.substr(eq + 1)), {"--csv-column " + spec, 0, 0});
  }
}

void CsvReader::ReadFile(const std::string& path, const std::string& text, ReadContext& ctx) {
  char delimiter =
      delimiter_ ? delimiter_ : (path.size() > 4 && path.substr(path.size() - 4) == ".tsv" ? '\t' : 0);
  auto rows = ParseCsv(path, text, delimiter, ctx.diag);
  if (!rows) return;
  if (rows->empty()) {
    ctx.diag.Error({path, 1, 1}, "the CSV file is empty (a header row is required)");
    return;
  }
  const CsvRow& header = rows->front();
  std::vector<std::string> headers;
  for (const auto& c : header.cells) headers.push_back(Trim(c.text));
  // field -> column index
  std::map<std::string, size_t> index;
  std::set<size_t> used;
  for (const auto& [field, want] : columns_) {
    const std::string wanted = core::AsciiLower(want);  // (clang 14 cannot capture a structured binding)
    auto it = std::find_if(headers.begin(), headers.end(),
                           [&](const std::string& h) { return core::AsciiLower(h) == wanted; });
    if (it == headers.end()) {
      ctx.diag.Error({path, header.line, 1}, "column '" + want + "' (for " + field + ", named at " +
                                                 column_at_[field].ToString() + ") is not in the header" +
                                                 core::DidYouMean(want, headers));
      continue;
    }
    index[field] = it - headers.begin();
    used.insert(it - headers.begin());
  }
  for (size_t i = 0; i < headers.size(); ++i) {
    if (used.count(i)) continue;
    std::string h = CategoryNames::Normalize(headers[i]);
    bool mapped = false;
    for (const auto& [field, names] : synonyms_) {
      if (index.count(field) || columns_.count(field)) continue;
      if (std::find(names.begin(), names.end(), h) != names.end()) {
        index[field] = i;
        used.insert(i);
        mapped = true;
        break;
      }
    }
    if (!mapped && !headers[i].empty()) {
      ctx.diag.Warning({path, header.cells[i].line, header.cells[i].col},
                       "column '" + headers[i] + "' is not mapped to a field; ignored");
    }
  }
  if (!index.count("vendor") && !columns_.count("vendor")) {
    ctx.diag.Error(
        {path, header.line, 1},
        "no vendor column (a header such as 'Vendor'; name another with --csv-column vendor=HEADER)");
    return;
  }
  if (ctx.diag.has_errors()) return;
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    if (row.cells.size() != headers.size()) {
      ctx.diag.Error({path, row.line, 1}, "this row has " + std::to_string(row.cells.size()) +
                                              " cells but the header has " + std::to_string(headers.size()));
      continue;
    }
    std::map<std::string, const CsvCell*> cells;
    for (const auto& [field, i] : index) cells[field] = &row.cells[i];
    ReadRow(path, cells, row.line, ctx);
  }
}

std::vector<std::string> CsvReader::Categories(const std::string& path, const CsvCell& cell,
                                               ReadContext& ctx) {
  std::vector<std::string> out;
  for (const auto& [item, offset] : SplitList(cell.text)) {
    if (auto key = names_->Find(item)) {
      if (std::find(out.begin(), out.end(), *key) == out.end()) out.push_back(*key);
    } else {
      ctx.diag.Error(PositionIn(path, cell, offset),
                     "'" + item + "' names no data category" + names_->DidYouMean(item) +
                         "; map an inventory's own names under 'categories:' in the --csv-map file");
    }
  }
  return out;
}

std::vector<std::string> CsvReader::Subjects(const std::string& path, const CsvCell& cell, ReadContext& ctx) {
  std::vector<std::string> out;
  std::vector<std::string> kinds;
  for (const auto& k : ctx.taxonomy.subject_kinds()) kinds.push_back(k.key);
  for (const auto& [item, offset] : SplitList(cell.text)) {
    std::string norm = CategoryNames::Normalize(item);
    std::string kind;
    if (subject_aliases_.count(norm)) kind = subject_aliases_[norm];
    for (const auto& k : ctx.taxonomy.subject_kinds()) {
      if (!kind.empty()) break;
      std::string key = CategoryNames::Normalize(k.key), name = CategoryNames::Normalize(k.name);
      if (norm == key || norm == name || norm == key + "s" || norm == name + "s") kind = k.key;
    }
    if (kind.empty()) {
      ctx.diag.Error(PositionIn(path, cell, offset), "'" + item + "' names no data subject kind" +
                                                         core::DidYouMean(core::AsciiLower(item), kinds) +
                                                         "; map it under 'subjects:' in the --csv-map file");
      continue;
    }
    if (!subject_seen_[kind]) {
      subject_seen_[kind] = true;
      const core::DataSubjectKind* k = nullptr;
      for (const auto& s : ctx.taxonomy.subject_kinds()) k = s.key == kind ? &s : k;
      decls_.subjects.push_back(core::Subject{
          kind, kind, k ? k->name : kind, {}, core::kUnknownRecords, PositionIn(path, cell, offset)});
      decls_.subject_refs.push_back({});
    }
    if (std::find(out.begin(), out.end(), kind) == out.end()) out.push_back(kind);
  }
  return out;
}

void CsvReader::ReadRow(const std::string& path, const std::map<std::string, const CsvCell*>& cells, int line,
                        ReadContext& ctx) {
  auto cell = [&](const char* field) -> const CsvCell* {
    auto it = cells.find(field);
    return it == cells.end() || Trim(it->second->text).empty() ? nullptr : it->second;
  };
  const CsvCell* vendor = cells.at("vendor");
  std::string vendor_name = Trim(vendor->text);
  if (vendor_name.empty()) {
    ctx.diag.Error({path, vendor->line, vendor->col}, "the vendor cell is empty");
    return;
  }
  core::Node node;
  node.kind = core::NodeKind::kVendor;
  node.id = cell("id") ? Trim(cell("id")->text) : Slug(vendor_name);
  node.name = vendor_name;
  node.where = {path, vendor->line, vendor->col};
  auto at = [&](const CsvCell* c) { return core::Provenance{path, c->line, c->col}; };
  for (const char* f : {"country", "owner", "role", "service"}) {
    if (auto c = cell(f)) node.attrs[f] = {Trim(c->text)};
  }
  for (const char* f : {"data_locations", "certifications", "contacts"}) {
    if (auto c = cell(f)) {
      for (const auto& [item, _] : SplitList(c->text)) node.attrs.Append(f, item);
    }
  }
  if (auto c = cell("dpa")) {
    std::string v = core::AsciiLower(Trim(c->text));
    std::string date;
    for (size_t i = 0; i + 10 <= v.size(); ++i) {
      if (IsDate(v.substr(i, 10))) date = v.substr(i, 10);
    }
    if (!date.empty()) {
      node.attrs["dpa"] = {date};
    } else if (v == "yes" || v == "y" || v == "true" || v == "signed" || v == "x" || v == "in place") {
      node.attrs["dpa"] = {"yes"};
    } else if (v == "no" || v == "n" || v == "false" || v == "none" || v == "not signed" || v == "missing") {
      node.attrs["dpa"] = {"no"};
    } else {
      ctx.diag.Error(at(c), "DPA '" + Trim(c->text) + "': expected yes, no or a date YYYY-MM-DD");
    }
  }
  if (auto c = cell("tier")) {
    std::string v = core::AsciiLower(Trim(c->text));
    if (v.rfind("tier", 0) == 0) v = Trim(v.substr(4));
    static const std::map<std::string, std::string> kWords = {
        {"critical", "1"}, {"high", "2"}, {"medium", "3"}, {"low", "4"},
        {"1", "1"},        {"2", "2"},    {"3", "3"},      {"4", "4"}};
    if (kWords.count(v)) {
      node.attrs["tier"] = {kWords.at(v)};
    } else {
      ctx.diag.Error(at(c), "tier '" + Trim(c->text) + "': expected 1 to 4 (or critical, high, medium, low)");
    }
  }
  if (auto c = cell("notice_hours")) {
    int64_t n = 0;
    std::string v = Trim(c->text);
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < 0) {
      ctx.diag.Error(at(c), "notice hours '" + v + "': expected a whole number of hours");
    } else {
      node.attrs["notice_hours"] = {std::to_string(n)};
    }
  }
  int64_t records = core::kUnknownRecords;
  if (auto c = cell("records")) {
    std::string digits;
    double scale = 1;
    std::string v = core::AsciiLower(Trim(c->text));
    if (!v.empty() && (v.back() == 'k' || v.back() == 'm')) {
      scale = v.back() == 'k' ? 1e3 : 1e6;
      v.pop_back();
    }
    bool ok = !v.empty();
    for (char ch : v) {
      if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '.') {
        digits += ch;
      } else if (ch != ',' && ch != '_' && ch != ' ') {
        ok = false;
      }
    }
    double n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (!ok || ec != std::errc() || end != digits.data() + digits.size() || n * scale > 9e18) {
      ctx.diag.Error(at(c),
                     "records '" + Trim(c->text) + "': expected a number such as 1200000, 1,200,000 or 1.2M");
    } else {
      records = static_cast<int64_t>(n * scale);
    }
  }
  // The same vendor on several rows (one per service) is one vendor; its attributes must agree.
  auto found = vendor_index_.find(node.id);
  if (found == vendor_index_.end()) {
    vendor_index_[node.id] = decls_.nodes.size();
    decls_.nodes.push_back(node);
  } else {
    core::Node& first = decls_.nodes[found->second];
    for (const auto& [k, v] : node.attrs) {
      if (k == "service") continue;
      auto it = first.attrs.find(k);
      if (it == first.attrs.end()) {
        first.attrs[k] = v;
      } else if (it->second != v) {
        ctx.diag.Error(node.where, "vendor '" + node.id + "' has another " + k + " on this row than at " +
                                       first.where.ToString());
      }
    }
  }
  std::vector<std::string> categories;
  if (auto c = cell("categories")) categories = Categories(path, *c, ctx);
  std::vector<std::string> subjects;
  if (auto c = cell("subjects")) subjects = Subjects(path, *c, ctx);
  if (!categories.empty()) {
    core::Flow flow;
    flow.from = cell("source") ? Trim(cell("source")->text) : source_;
    source_used_ = source_used_ || !cell("source");
    flow.to = node.id;
    flow.categories = core::ToSymbols(categories);
    flow.subjects = core::ToSymbols(subjects);
    flow.records = records;
    flow.where = {path, line, 1};
    if (auto c = cell("purpose")) {
      std::string p = Trim(c->text);
      if (ctx.taxonomy.HasDataUse(p)) {
        flow.purpose = p;
      } else {
        for (const auto& u : ctx.taxonomy.data_uses()) {
          if (CategoryNames::Normalize(u.name) == CategoryNames::Normalize(p)) flow.purpose = u.key;
        }
        flow.description = p;
      }
    }
    if (auto c = cell("transport")) flow.transport = Trim(c->text);
    if (auto c = cell("service"))
      flow.description = Trim(c->text) + (flow.description.empty() ? "" : ": " + flow.description);
    if (auto c = cell("description"))
      flow.description = flow.description.str() + (flow.description.empty() ? "" : " (") + Trim(c->text) +
                         (flow.description.empty() ? "" : ")");
    decls_.flows.emplace_back(std::move(flow), RefPositions{});
  } else if (!cell("categories")) {
    ctx.diag.Warning({path, line, 1},
                     "vendor '" + node.id + "' receives no data categories on this row; no flow");
  }
  if (auto c = cell("sub_processors")) {
    for (const auto& [item, offset] : SplitList(c->text)) {
      std::string sub = Slug(item);
      if (sub == node.id || subprocessor_flow_[{node.id, sub}]) continue;
      subprocessor_flow_[{node.id, sub}] = true;
      core::Node implied;
      implied.kind = core::NodeKind::kVendor;
      implied.id = sub;
      implied.name = item;
      implied.where = PositionIn(path, *c, offset);
      implied.attrs["role"] = {"sub-processor"};
      decls_.implied_nodes.push_back(implied);
      core::Flow f;
      f.from = node.id;
      f.to = sub;
      f.forwards_all = true;
      f.description = "sub-processor of " + vendor_name;
      f.where = implied.where;
      decls_.flows.emplace_back(std::move(f), RefPositions{});
    }
  }
}

void CsvReader::Finish(ReadContext& ctx) {
  if (source_used_) {
    core::Node org;
    org.id = source_;
    org.name = source_ == "organization" ? "Our organization" : source_;
    org.kind = core::NodeKind::kSystem;
    org.where = decls_.flows.empty() ? core::Provenance{} : decls_.flows.front().first.where;
    decls_.implied_nodes.push_back(org);
  }
  // Positions of references, for the resolution's messages: a flow's endpoints are its row.
  for (auto& [f, pos] : decls_.flows) {
    pos.from = pos.to = f.where;
    pos.categories.assign(f.categories.size(), f.where);
    pos.subjects.assign(f.subjects.size(), f.where);
    pos.purpose = f.where;
  }
  auto& out = ctx.out;
  for (auto& n : decls_.nodes) out.nodes.push_back(std::move(n));
  for (auto& n : decls_.implied_nodes) out.implied_nodes.push_back(std::move(n));
  for (auto& s : decls_.subjects) out.subjects.push_back(std::move(s));
  for (auto& r : decls_.subject_refs) out.subject_refs.push_back(std::move(r));
  for (auto& f : decls_.flows) out.flows.push_back(std::move(f));
}

}  // namespace blastmap::importers
