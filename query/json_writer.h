// A streaming JSON writer whose text is byte for byte what nlohmann_json's dump(indent) gives for the same
// values (key order, number formatting, escaping, indentation), so that a large result can be written while
// it is walked instead of being built as a DOM first. Internal to the query layer.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace blastmap::query {

class JsonWriter {
 public:
  // Receives the text in chunks of about kChunk bytes, in order. It may throw to abandon the write.
  using Sink = std::function<void(std::string_view)>;
  static constexpr size_t kChunk = 64 * 1024;

  // `indent` < 0: compact, as dump(); otherwise as dump(indent). Without a sink the text accumulates and
  // Take() returns it.
  explicit JsonWriter(int indent, Sink sink = nullptr) : indent_(indent), sink_(std::move(sink)) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // The key of the next value; only inside an object.
  void Key(std::string_view key);

  // Throws nlohmann's type_error 316 on invalid UTF-8, as dump() does.
  void String(std::string_view s);
  void Int(int64_t n);
  void Double(double x);  // non-finite: null, as dump() writes it
  void Bool(bool b);
  void Null();
  // A small DOM, written as dump() would write it. With members_only, `v` is an object whose members are
  // written into the object being written (its opening and closing left to the caller).
  template <typename BasicJson>
  void Value(const BasicJson& v, bool members_only = false);
  void Strings(const std::vector<std::string>& items);

  // Hands what is buffered to the sink (no-op without one).
  void Flush();
  // The text written so far (without a sink).
  std::string Take() { return std::move(buf_); }

 private:
  void Escaped(std::string_view s);  // a quoted string, escaped as dump() escapes it
  void Separate();                   // before a value or a key: the comma, newline and indentation it needs
  void Close(char bracket);
  void MaybeFlush() {
    if (sink_ && buf_.size() >= kChunk) Flush();
  }

  const int indent_;
  Sink sink_;
  std::string buf_;
  std::vector<bool> empty_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

// What `write(writer)` writes, as dump(2) with the final newline the renderers add: whole, or handed to
// `sink` in chunks.
template <typename Write>
std::string IndentedJson(Write&& write) {
  JsonWriter w(2);
  write(w);
  return w.Take() + "\n";
}
template <typename Write>
void IndentedJson(const JsonWriter::Sink& sink, Write&& write) {
  JsonWriter w(2, sink);
  write(w);
  w.Flush();
  sink("\n");
}

template <typename BasicJson>
void JsonWriter::Value(const BasicJson& v, bool members_only) {
  if (members_only) {
    for (const auto& [key, value] : v.items()) {
      Key(key);
      Value(value);
    }
    return;
  }
  switch (v.type()) {
    case nlohmann::json::value_t::object:
      BeginObject();
      for (const auto& [key, value] : v.items()) {
        Key(key);
        Value(value);
      }
      EndObject();
      break;
    case nlohmann::json::value_t::array:
      BeginArray();
      for (const auto& value : v) Value(value);
      EndArray();
      break;
    case nlohmann::json::value_t::string: String(v.template get_ref<const std::string&>()); break;
    case nlohmann::json::value_t::boolean: Bool(v.template get<bool>()); break;
    case nlohmann::json::value_t::number_integer: Int(v.template get<int64_t>()); break;
    case nlohmann::json::value_t::number_float: Double(v.template get<double>()); break;
    case nlohmann::json::value_t::null: Null(); break;
    default:  // unsigned numbers and binary values: rare, small
      Separate();
      buf_ += v.dump();
      MaybeFlush();
  }
}

}  // namespace blastmap::query
