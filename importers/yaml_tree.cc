#include "importers/yaml_tree.h"

#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <unordered_map>

namespace blastmap::importers {

const YamlNode* YamlNode::Find(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (uint32_t i = 0; i < size; ++i) {
    const YamlNode& k = Key(i);
    if (k.kind == Kind::kScalar && k.text == key) return &Value(i);
  }
  return nullptr;
}

namespace {

constexpr size_t kBlockBytes = 64 * 1024;
const YamlNode kNullNode;

}  // namespace

YamlDocument::YamlDocument() : root_(&kNullNode) {}
YamlDocument::~YamlDocument() = default;

void* YamlDocument::Allocate(size_t bytes, size_t align) {
  size_t pad = (align - reinterpret_cast<uintptr_t>(cursor_) % align) % align;
  if (cursor_ == nullptr || pad + bytes > left_) {
    size_t size = std::max(kBlockBytes, bytes + align);
    blocks_.emplace_back(new char[size]);  // not zeroed: every byte handed out is written
    cursor_ = blocks_.back().get();
    left_ = size;
    pad = (align - reinterpret_cast<uintptr_t>(cursor_) % align) % align;
  }
  char* out = cursor_ + pad;
  cursor_ = out + bytes;
  left_ -= pad + bytes;
  return out;
}

std::string_view YamlDocument::Copy(std::string_view text) {
  if (text.empty()) return {};
  char* out = static_cast<char*>(Allocate(text.size(), 1));
  std::memcpy(out, text.data(), text.size());
  return {out, text.size()};
}

namespace {

// libyaml counts columns and offsets in characters; messages count bytes from the line start (as the
// checks of CheckManifestText do). Marks arrive almost always in increasing order, so one cursor walks the
// text once; a mark behind it (the start of the construct an error is in) restarts from its line's start,
// remembered for every line passed, so no pattern of marks makes the walk quadratic.
class ByteColumns {
 public:
  explicit ByteColumns(std::string_view text) : text_(text) {
    if (text_.rfind("\xEF\xBB\xBF", 0) == 0) byte_ = line_start_ = 3;  // libyaml does not count the BOM
    lines_.emplace_back(0, byte_);
  }
  // 1-based byte column of a mark.
  int Column(const yaml_mark_t& mark) {
    if (mark.index < index_) {
      const auto& [index, byte] = lines_[std::min(mark.line, lines_.size() - 1)];
      index_ = index;
      byte_ = line_start_ = byte;
    }
    while (index_ < mark.index && byte_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[byte_]);
      size_t width = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
      width = std::min(width, text_.size() - byte_);
      const std::string_view ch = text_.substr(byte_, width);
      byte_ += width;
      ++index_;
      // A line break: LF, CR not before LF, NEL, LS, PS (YAML 1.1, as libyaml counts lines).
      if (c == '\n' || (c == '\r' && (byte_ >= text_.size() || text_[byte_] != '\n')) || ch == "\xC2\x85" ||
          ch == "\xE2\x80\xA8" || ch == "\xE2\x80\xA9") {
        line_start_ = byte_;
        if (lines_.back().first < index_) lines_.emplace_back(index_, byte_);
      }
    }
    return static_cast<int>(byte_ - line_start_) + 1;
  }

 private:
  std::string_view text_;
  size_t index_ = 0, byte_ = 0, line_start_ = 0;
  std::vector<std::pair<size_t, size_t>> lines_;  // the character index and byte offset of each line passed
};

// Nodes a file's aliases may expand it to: generous for sharing a list by an anchor, far below a bomb.
// A file without aliases has fewer nodes than bytes, so the bound never rejects one.
uint64_t AliasLimit(size_t bytes) { return 1'000'000 + 2 * static_cast<uint64_t>(bytes); }

bool IsNullText(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

std::string_view View(const yaml_char_t* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

// A stop of the build: where, and what (the whole message).
struct Stop {
  int line = 0, col = 0;
  std::string message;
};

class TreeBuilder {
 public:
  TreeBuilder(std::string_view text, bool json, const std::function<void(YamlDocumentPtr)>& each)
      : columns_(text), limit_(AliasLimit(text.size())), json_(json), each_(each) {}

  // Handles one event; false (and `stop` set) on a problem.
  bool Handle(const yaml_event_t& ev, Stop& stop) {
    switch (ev.type) {
      case YAML_DOCUMENT_START_EVENT:
        doc_ = std::make_shared<YamlDocument>();
        anchors_.clear();
        return true;
      case YAML_DOCUMENT_END_EVENT:
        each_(std::move(doc_));
        doc_.reset();
        return true;
      case YAML_SCALAR_EVENT: {
        const auto& s = ev.data.scalar;
        if (!CheckTag(ev, s.tag, stop)) return false;
        YamlNode* node = NewNode(ev);
        std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
        const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
        if (plain && s.tag == nullptr && IsNullText(text)) {
          node->kind = YamlNode::Kind::kNull;
        } else {
          node->kind = YamlNode::Kind::kScalar;
          node->quoted = !plain;
          node->text = doc_->Copy(text);
        }
        if (s.tag) node->tag = doc_->Copy(View(s.tag));
        return Leaf(ev, node, s.anchor, stop);
      }
      case YAML_SEQUENCE_START_EVENT:
        return Open(ev, YamlNode::Kind::kSequence, ev.data.sequence_start.tag, ev.data.sequence_start.anchor, stop);
      case YAML_MAPPING_START_EVENT:
        return Open(ev, YamlNode::Kind::kMap, ev.data.mapping_start.tag, ev.data.mapping_start.anchor, stop);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        Close();
        return true;
      case YAML_ALIAS_EVENT: {
        std::string_view name = View(ev.data.alias.anchor);
        for (const auto& frame : open_) {
          if (!frame.anchor.empty() && frame.anchor == name) {
            return Fail(ev.start_mark, "an alias inside the node its anchor names (a cycle); blastmap cannot read it",
                        stop);
          }
        }
        auto it = anchors_.find(std::string(name));
        if (it == anchors_.end()) {
          return Fail(ev.start_mark, std::string(json_ ? "invalid JSON: " : "invalid YAML: ") +
                                         "the alias *" + Shown(name) + " names no anchor defined before it",
                      stop);
        }
        if (!Add(ev.start_mark, it->second.second, stop)) return false;
        Attach(it->second.first);
        return true;
      }
      default: return true;
    }
  }

  int Column(const yaml_mark_t& mark) { return columns_.Column(mark); }

 private:
  struct Frame {
    YamlNode* node;
    std::string anchor;
    uint64_t nodes;  // nodes inside so far, aliases expanded
    size_t first;    // where its children start in scratch_
  };

  static std::string Shown(std::string_view s) {
    return std::string(s.size() > 80 ? s.substr(0, 77) : s) + (s.size() > 80 ? "..." : "");
  }

  bool Fail(const yaml_mark_t& mark, std::string message, Stop& stop) {
    stop = {static_cast<int>(mark.line) + 1, Column(mark), std::move(message)};
    return false;
  }

  YamlNode* NewNode(const yaml_event_t& ev) {
    auto* node = new (doc_->Allocate(sizeof(YamlNode), alignof(YamlNode))) YamlNode();
    node->line = static_cast<int>(ev.start_mark.line) + 1;
    node->col = Column(ev.start_mark);
    return node;
  }

  // Rejects any explicit tag but YAML's core ones (!!python/object and the like: blastmap reads plain
  // values, and says so rather than ignore the tag).
  bool CheckTag(const yaml_event_t& ev, const yaml_char_t* raw, Stop& stop) {
    static const char* const kCore[] = {"!",
                                        "?",
                                        "tag:yaml.org,2002:str",
                                        "tag:yaml.org,2002:int",
                                        "tag:yaml.org,2002:float",
                                        "tag:yaml.org,2002:bool",
                                        "tag:yaml.org,2002:null",
                                        "tag:yaml.org,2002:map",
                                        "tag:yaml.org,2002:seq"};
    std::string_view tag = View(raw);
    if (tag.empty()) return true;
    for (const char* core : kCore) {
      if (tag == core) return true;
    }
    std::string shown = tag.rfind("tag:yaml.org,2002:", 0) == 0 ? "!!" + std::string(tag.substr(18)) : std::string(tag);
    return Fail(ev.start_mark, "the YAML tag '" + Shown(shown) + "' is not supported; blastmap reads plain values",
                stop);
  }

  // Counts `nodes` more nodes (aliases expanded) against the file's bound.
  bool Add(const yaml_mark_t& mark, uint64_t nodes, Stop& stop) {
    expanded_ += nodes;
    if (!open_.empty()) open_.back().nodes += nodes;
    if (expanded_ > limit_) {
      return Fail(mark,
                  "aliases expand the file to more than " + std::to_string(limit_) +
                      " nodes (an alias bomb?); write the values out instead",
                  stop);
    }
    return true;
  }

  void Attach(const YamlNode* node) {
    if (open_.empty()) {
      doc_->set_root(node);
    } else {
      scratch_.push_back(node);
    }
  }

  bool Leaf(const yaml_event_t& ev, YamlNode* node, const yaml_char_t* anchor, Stop& stop) {
    if (!Add(ev.start_mark, 1, stop)) return false;
    if (anchor) anchors_[std::string(View(anchor))] = {node, 1};
    Attach(node);
    return true;
  }

  bool Open(const yaml_event_t& ev, YamlNode::Kind kind, const yaml_char_t* tag, const yaml_char_t* anchor,
            Stop& stop) {
    if (!CheckTag(ev, tag, stop)) return false;
    if (open_.size() >= static_cast<size_t>(kMaxYamlDepth)) {
      return Fail(ev.start_mark,
                  std::string(json_ ? "invalid JSON: " : "invalid YAML: ") + "nesting deeper than " +
                      std::to_string(kMaxYamlDepth) + " levels",
                  stop);
    }
    if (!Add(ev.start_mark, 1, stop)) return false;
    YamlNode* node = NewNode(ev);
    node->kind = kind;
    if (tag) node->tag = doc_->Copy(View(tag));
    open_.push_back({node, anchor ? std::string(View(anchor)) : std::string(), 1, scratch_.size()});
    return true;
  }

  void Close() {
    Frame frame = std::move(open_.back());
    open_.pop_back();
    if (!open_.empty()) open_.back().nodes += frame.nodes;
    const size_t count = scratch_.size() - frame.first;
    if (count > 0) {
      auto** children =
          static_cast<const YamlNode**>(doc_->Allocate(count * sizeof(YamlNode*), alignof(YamlNode*)));
      std::copy(scratch_.begin() + static_cast<std::ptrdiff_t>(frame.first), scratch_.end(), children);
      frame.node->children = children;
    }
    frame.node->size = static_cast<uint32_t>(frame.node->kind == YamlNode::Kind::kMap ? count / 2 : count);
    scratch_.resize(frame.first);
    if (!frame.anchor.empty()) anchors_[frame.anchor] = {frame.node, frame.nodes};
    Attach(frame.node);
  }

  ByteColumns columns_;
  const uint64_t limit_;
  const bool json_;
  const std::function<void(YamlDocumentPtr)>& each_;
  std::shared_ptr<YamlDocument> doc_;
  uint64_t expanded_ = 0;
  std::vector<Frame> open_;
  std::vector<const YamlNode*> scratch_;
  std::unordered_map<std::string, std::pair<const YamlNode*, uint64_t>> anchors_;  // node, nodes expanded
};

// libyaml's words for a syntax error, with where the construct it was in started, and a hint for the two
// commonest causes (text after a document's value, a tab that indents).
std::string SyntaxMessage(const yaml_parser_t& parser, std::string_view text, TreeBuilder& builder, bool json) {
  std::string message = json ? "invalid JSON: " : "invalid YAML: ";
  const std::string_view problem = parser.problem ? parser.problem : "cannot parse";
  const yaml_mark_t& at = parser.problem_mark;
  if (problem == "did not find expected <document start>") {
    return message + "unexpected text after the document's value (a new document starts with a '---' line)";
  }
  message += problem;
  if (parser.context && parser.context_mark.index != at.index) {
    const yaml_mark_t& start = parser.context_mark;
    message += std::string(" (") + parser.context + " that starts at " + std::to_string(start.line + 1) + ":" +
               std::to_string(builder.Column(start)) + ")";
  }
  const int col = builder.Column(at);
  size_t line_start = 0;
  for (size_t line = 0; line < at.line && line_start != std::string_view::npos; ++line) {
    line_start = text.find('\n', line_start);
    if (line_start != std::string_view::npos) ++line_start;
  }
  if (line_start != std::string_view::npos && line_start + col - 1 < text.size() && text[line_start + col - 1] == '\t') {
    message += "; a tab cannot indent YAML (use spaces)";
  }
  return message;
}

}  // namespace

bool ParseYamlStream(const std::string& path, std::string_view text, bool json, Diagnostics& diag,
                     const std::function<void(YamlDocumentPtr)>& each) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    diag.Error({path, 0, 0}, "cannot parse: out of memory");
    return false;
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  TreeBuilder builder(text, json, each);
  bool ok = true;
  for (bool done = false; !done;) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      const yaml_mark_t& at = parser.problem_mark;
      if (parser.error == YAML_READER_ERROR) {
        // Reader errors carry a byte offset; CheckManifestText refuses what they are about first.
        diag.Error({path, 0, 0}, std::string(json ? "invalid JSON: " : "invalid YAML: ") +
                                     (parser.problem ? parser.problem : "cannot read"));
      } else {
        std::string message = SyntaxMessage(parser, text, builder, json);
        diag.Error({path, static_cast<int>(at.line) + 1, builder.Column(at)}, message);
      }
      ok = false;
      break;
    }
    Stop stop;
    if (!builder.Handle(event, stop)) {
      diag.Error({path, stop.line, stop.col}, stop.message);
      ok = false;
    }
    done = !ok || event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  return ok;
}

}  // namespace blastmap::importers
