// A hash index from strings to their positions in an array the caller owns (node ids, category keys):
// open addressing over one flat array of 4-byte slots, no allocation per key. Internal to core/.
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
    // A slot holds position + 1 (1 .. n) in its low bits and as many bits of the key's hash as are left.
    position_bits_ = std::max(1, static_cast<int>(std::bit_width(n)));
    position_mask_ = static_cast<uint32_t>((uint64_t{1} << position_bits_) - 1);
    for (uint32_t i = 0; i < n; ++i) {
      const std::string_view key = key_of(i);
      const uint64_t h = Hash(key);
      for (size_t s = h & mask_;; s = (s + 1) & mask_) {
        if (slots_[s] == 0) {
          slots_[s] = Slot(h, i);
          break;
        }
        if (SlotTag(slots_[s]) == HashTag(h) && key_of(Position(slots_[s])) == key) break;
      }
    }
  }

  size_t HeapBytes() const { return slots_.capacity() * sizeof(uint32_t); }

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
        while (slots_[s] != 0 && SlotTag(slots_[s]) != HashTag(hashes[i])) s = (s + 1) & mask_;
        first[i] = s;
        if (slots_[s] != 0) prefetch(Position(slots_[s]));
      }
      for (size_t i = 0; i < count; ++i) {
        const std::string_view key = keys[start + i];
        int64_t found = -1;
        for (size_t s = first[i]; slots_[s] != 0; s = (s + 1) & mask_) {
          if (SlotTag(slots_[s]) == HashTag(hashes[i]) && key_of(Position(slots_[s])) == key) {
            found = Position(slots_[s]);
            break;
          }
        }
        out[start + i] = found;
      }
    }
  }

 private:
  static uint64_t Hash(std::string_view key) { return std::hash<std::string_view>{}(key); }
  // The bits of a slot above its position: HashTag, a hash's high half's low bits moved there (the low half
  // picks the slot); SlotTag, those of the hash the slot was filled with.
  uint32_t HashTag(uint64_t hash) const { return static_cast<uint32_t>((hash >> 32) << position_bits_); }
  uint32_t SlotTag(uint32_t slot) const { return slot & ~position_mask_; }
  uint32_t Slot(uint64_t hash, uint32_t position) const { return HashTag(hash) | (position + 1); }
  uint32_t Position(uint32_t slot) const { return (slot & position_mask_) - 1; }

  template <typename KeyOf>
  int64_t Probe(std::string_view key, uint64_t h, KeyOf&& key_of) const {
    if (slots_.empty()) return -1;
    for (size_t s = h & mask_;; s = (s + 1) & mask_) {
      const uint32_t slot = slots_[s];
      if (slot == 0) return -1;
      if (SlotTag(slot) == HashTag(h) && key_of(Position(slot)) == key) return Position(slot);
    }
  }

  std::vector<uint32_t> slots_;  // Slot(hash, position); 0 when empty
  size_t mask_ = 0;
  int position_bits_ = 1;  // the low bits of a slot that hold position + 1
  uint32_t position_mask_ = 1;
};

}  // namespace blastmap::core
