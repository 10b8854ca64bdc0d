#include "query/json_writer.h"

#include <charconv>
#include <cmath>

namespace blastmap::query {

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (empty_.empty()) return;  // the top-level value
  if (!empty_.back()) buf_ += ',';
  empty_.back() = false;
  if (indent_ >= 0) {
    buf_ += '\n';
    buf_.append(empty_.size() * static_cast<size_t>(indent_), ' ');
  }
}

void JsonWriter::BeginObject() {
  Separate();
  buf_ += '{';
  empty_.push_back(true);
}

void JsonWriter::BeginArray() {
  Separate();
  buf_ += '[';
  empty_.push_back(true);
}

void JsonWriter::Close(char bracket) {
  const bool empty = empty_.back();
  empty_.pop_back();
  if (!empty && indent_ >= 0) {
    buf_ += '\n';
    buf_.append(empty_.size() * static_cast<size_t>(indent_), ' ');
  }
  buf_ += bracket;
  MaybeFlush();
}

void JsonWriter::EndObject() { Close('}'); }
void JsonWriter::EndArray() { Close(']'); }

void JsonWriter::Key(std::string_view key) {
  Separate();
  Escaped(key);
  buf_ += indent_ >= 0 ? ": " : ":";
  after_key_ = true;
}

void JsonWriter::String(std::string_view s) {
  Separate();
  Escaped(s);
  MaybeFlush();
}

void JsonWriter::Escaped(std::string_view s) {
  // Plain printable ASCII is written as it is; anything else (escapes, UTF-8, control characters) goes
  // through nlohmann's own serializer so that the text and its errors are exactly dump()'s.
  bool plain = true;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    buf_ += '"';
    buf_ += s;
    buf_ += '"';
  } else {
    buf_ += nlohmann::json(std::string(s)).dump();
  }
}

void JsonWriter::Int(int64_t n) {
  Separate();
  char text[24];
  auto [end, ec] = std::to_chars(text, text + sizeof text, n);
  buf_.append(text, end);
}

void JsonWriter::Double(double x) {
  Separate();
  if (!std::isfinite(x)) {
    buf_ += "null";
    return;
  }
  char text[64];  // the size of the serializer's own number buffer
  char* end = nlohmann::detail::to_chars(text, text + sizeof text, x);
  buf_.append(text, end);
}

void JsonWriter::Bool(bool b) {
  Separate();
  buf_ += b ? "true" : "false";
}

void JsonWriter::Null() {
  Separate();
  buf_ += "null";
}

void JsonWriter::Strings(const std::vector<std::string>& items) {
  BeginArray();
  for (const auto& s : items) String(s);
  EndArray();
}

void JsonWriter::Flush() {
  if (!sink_ || buf_.empty()) return;
  sink_(buf_);
  buf_.clear();
}

}  // namespace blastmap::query
