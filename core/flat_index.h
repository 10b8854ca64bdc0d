// A hash index from strings to their positions in an array the caller owns (node ids, category keys):
// open addressing over one flat array of 8-byte slots, no allocation per key. Internal to core/.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace blastmap::core {

// The keys are not copied: every call takes `key_of(i)`, the key at position i, which must return the same
// keys as when the index was built (the index holds positions and hash bits only).
class FlatIndex {
 public:
  // Indexes key_of(0) .. key_of(n - 1); a key that repeats keeps its first position.
  template <typename KeyOf>
  void Build(uint32_t n, KeyOf&& key_of) {
    // At most half full: a miss ends after a couple of probes.
    const size_t capacity = std::bit_ceil(std::max<size_t>(size_t{n} * 2, 16));
    slots_.assign(capacity, 0);
    mask_ = capacity - 1;
    for (uint32_t i = 0; i < n; ++i) {
      const std::string_view key = key_of(i);
      const uint64_t h = Hash(key);
      for (size_t s = h & mask_;; s = (s + 1) & mask_) {
        if (slots_[s] == 0) {
          slots_[s] = Slot(h, i);
          break;
        }
        if (Tag(slots_[s]) == Tag(h) && key_of(Position(slots_[s])) == key) break;
      }
    }
  }

  size_t HeapBytes() const { return slots_.capacity() * sizeof(uint64_t); }

  // The position of `key`, or -1.
  template <typename KeyOf>
  int64_t Find(std::string_view key, KeyOf&& key_of) const {
    return Probe(key, Hash(key), key_of);
  }

  // out[i] = Find(keys[i]) for every i, faster for many keys: a batch's slots, then the keys they point
  // to, are fetched from memory together instead of one miss after another. prefetch(i) may prefetch the
  // memory of key_of(i) (it must not read it).
  template <typename KeyOf, typename Prefetch>
  void FindMany(std::span<const std::string_view> keys, std::span<int64_t> out, KeyOf&& key_of,
                Prefetch&& prefetch) const {
    if (slots_.empty()) return std::fill(out.begin(), out.end(), -1);
    constexpr size_t kBatch = 16;
    uint64_t hashes[kBatch];
    size_t first[kBatch];  // the first slot holding the key's tag, or the empty slot ending its probe
    for (size_t start = 0; start < keys.size(); start += kBatch) {
      const size_t count = std::min(kBatch, keys.size() - start);
      for (size_t i = 0; i < count; ++i) {
        hashes[i] = Hash(keys[start + i]);
        __builtin_prefetch(slots_.data() + (hashes[i] & mask_));
      }
      for (size_t i = 0; i < count; ++i) {
        size_t s = hashes[i] & mask_;
        while (slots_[s] != 0 && Tag(slots_[s]) != Tag(hashes[i])) s = (s + 1) & mask_;
        first[i] = s;
        if (slots_[s] != 0) prefetch(Position(slots_[s]));
      }
      for (size_t i = 0; i < count; ++i) {
        const std::string_view key = keys[start + i];
        int64_t found = -1;
        for (size_t s = first[i]; slots_[s] != 0; s = (s + 1) & mask_) {
          if (Tag(slots_[s]) == Tag(hashes[i]) && key_of(Position(slots_[s])) == key) {
            found = Position(slots_[s]);
            break;
          }
        }
        out[start + i] = found;
      }
    }
  }

  size_t bytes() const { return slots_.capacity() * sizeof(uint64_t); }

 private:
  static uint64_t Hash(std::string_view key) { return std::hash<std::string_view>{}(key); }
  static uint32_t Tag(uint64_t hash_or_slot) { return static_cast<uint32_t>(hash_or_slot >> 32); }
  static uint64_t Slot(uint64_t hash, uint32_t position) {
    return (hash & 0xffffffff00000000u) | (uint64_t{position} + 1);
  }
  static uint32_t Position(uint64_t slot) { return static_cast<uint32_t>(slot) - 1; }

  template <typename KeyOf>
  int64_t Probe(std::string_view key, uint64_t h, KeyOf&& key_of) const {
    if (slots_.empty()) return -1;
    for (size_t s = h & mask_;; s = (s + 1) & mask_) {
      const uint64_t slot = slots_[s];
      if (slot == 0) return -1;
      if (Tag(slot) == Tag(h) && key_of(Position(slot)) == key) return Position(slot);
    }
  }

  std::vector<uint64_t> slots_;  // Tag(hash) << 32 | (position + 1); 0 when empty
  size_t mask_ = 0;
};

}  // namespace blastmap::core
