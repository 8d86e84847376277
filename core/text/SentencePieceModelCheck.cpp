#include "core/text/SentencePieceModelCheck.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/Error.h"

namespace ssmlens {
namespace {

constexpr int kMaxTrieResults = 32;  // sentencepiece's Normalizer::kMaxTrieResultsSize

// darts-clone's unit encoding (third_party/darts_clone/darts.h, DoubleArrayUnit).
bool hasLeaf(uint32_t unit) { return ((unit >> 8) & 1) == 1; }
uint32_t valueOf(uint32_t unit) { return unit & ((1u << 31) - 1); }
uint32_t labelOf(uint32_t unit) { return unit & ((1u << 31) | 0xFF); }
uint32_t offsetOf(uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }

// Protobuf wire format: a reader over one message's bytes.
class WireReader {
public:
    WireReader(std::string_view bytes, const std::string& where) : b_(bytes), where_(where) {}
    bool done() const { return at_ >= b_.size(); }
    uint64_t varint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at_ >= b_.size()) fail("a number runs past the end");
            const uint8_t byte = uint8_t(b_[at_++]);
            v |= uint64_t(byte & 0x7F) << shift;
            if (!(byte & 0x80)) return v;
        }
        fail("a number longer than 10 bytes");
    }
    std::string_view bytes(uint64_t n) {
        if (n > b_.size() - at_) fail("a field of " + std::to_string(n) + " bytes runs past the end (truncated?)");
        std::string_view s = b_.substr(at_, size_t(n));
        at_ += size_t(n);
        return s;
    }
    // Reads one field's key and skips or returns its payload; `payload` is set for length-delimited fields.
    bool next(uint32_t& field, std::string_view& payload) {
        const uint64_t key = varint();
        field = uint32_t(key >> 3);
        const int type = int(key & 7);
        if (field == 0) fail("field number 0");
        payload = {};
        switch (type) {
            case 0: varint(); return false;
            case 1: bytes(8); return false;
            case 5: bytes(4); return false;
            case 2: payload = bytes(varint()); return true;
            default: fail("wire type " + std::to_string(type) + " (groups are not used by sentencepiece)");
        }
    }
    [[noreturn]] void fail(const std::string& problem) const {
        throw Error(where_ + ": not a sentencepiece model (" + problem + ")");
    }

private:
    std::string_view b_;
    const std::string& where_;
    size_t at_ = 0;
};

void checkNormalizerSpec(std::string_view spec, const std::string& where) {
    WireReader r(spec, where);
    while (!r.done()) {
        uint32_t field = 0;
        std::string_view payload;
        if (r.next(field, payload) && field == 2) checkPrecompiledCharsMap(payload, where + ": precompiled_charsmap");
    }
}

}  // namespace

void checkPrecompiledCharsMap(std::string_view blob, const std::string& where) {
    auto fail = [&](const std::string& problem) {
        throw Error(where + " is damaged (" + problem + "); sentencepiece would read outside it");
    };
    if (blob.empty()) return;  // no normalization rules
    if (blob.size() <= 4) fail("shorter than its header");
    uint32_t trieBytes = 0;
    for (int i = 3; i >= 0; --i) trieBytes = (trieBytes << 8) | uint8_t(blob[size_t(i)]);
    // libsentencepiece compares the trie size with the whole blob, header included, and reads up to four
    // bytes past the end when the trie fills it; the stricter bound here.
    if (trieBytes > blob.size() - 4) fail("the trie is larger than the blob");
    const size_t units = trieBytes / 4;
    if (units == 0) fail("the trie is empty");
    std::vector<uint32_t> array(units);
    std::memcpy(array.data(), blob.data() + 4, units * 4);  // little-endian hosts only (as the module)
    const std::string_view normalized = blob.substr(4 + size_t(trieBytes));

    // Every base position the search can reach, depth first. A path of the search is a path of this walk;
    // darts-clone shares suffixes (a DAWG), so a node may be reached again from elsewhere: then the most
    // matches found below it (mostBelow) plus those above it must stay within kMaxTrieResults as well.
    enum : uint8_t { kUnseen, kOnPath, kFinished };
    std::vector<uint8_t> state(units, kUnseen);
    std::vector<int> mostBelow(units, 0);
    struct Frame {
        uint32_t base;
        int next = 0;   // the next label to try, 0..256
        int above = 0;  // matches on the path from the root to this node
        int below = 0;  // most matches below, over the children done so far
    };
    auto inside = [&](uint64_t base) {
        if ((base | 0xFF) >= units) fail("a node's children lie outside the trie");
    };
    auto edgeMatches = [&](const Frame& f) { return hasLeaf(array[f.base ^ uint32_t(f.next - 1)]) ? 1 : 0; };
    const uint32_t root = offsetOf(array[0]);
    inside(root);
    std::vector<Frame> path{{root}};
    state[root] = kOnPath;
    while (!path.empty()) {
        Frame& f = path.back();
        if (f.next == 256) {
            state[f.base] = kFinished;
            mostBelow[f.base] = f.below;
            const int below = f.below;
            path.pop_back();
            if (!path.empty()) path.back().below = std::max(path.back().below, below + edgeMatches(path.back()));
            continue;
        }
        const uint32_t label = uint32_t(f.next++);
        const uint32_t unit = array[f.base ^ label];
        if (labelOf(unit) != label) continue;
        const uint64_t child = uint64_t(f.base ^ label) ^ offsetOf(unit);
        inside(child);
        const int match = hasLeaf(unit) ? 1 : 0;
        if (match) {
            const uint32_t value = valueOf(array[child]);
            if (value >= normalized.size() || normalized.find('\0', value) == std::string_view::npos)
                fail("a rule points outside the normalized strings");
        }
        if (state[child] == kOnPath) fail("a path through the trie comes back to itself");
        const int through = f.above + match + (state[child] == kFinished ? mostBelow[child] : 0);
        if (through > kMaxTrieResults)
            fail("more than " + std::to_string(kMaxTrieResults) + " rules match prefixes of one input");
        if (state[child] == kFinished) {
            f.below = std::max(f.below, match + mostBelow[child]);
        } else {
            state[child] = kOnPath;
            Frame next{uint32_t(child)};
            next.above = f.above + match;
            path.push_back(next);  // f is not used after this (the vector may move)
        }
    }
}

void checkSentencePieceModel(std::string_view modelBytes, const std::string& source) {
    WireReader r(modelBytes, source);
    bool anyPiece = false;
    while (!r.done()) {
        uint32_t field = 0;
        std::string_view payload;
        if (!r.next(field, payload)) continue;
        if (field == 1) anyPiece = true;
        // normalizer_spec (3) and denormalizer_spec (5) carry charsmaps; the others are walked for structure.
        if (field == 3) checkNormalizerSpec(payload, source + ": normalizer_spec");
        else if (field == 5) checkNormalizerSpec(payload, source + ": denormalizer_spec");
        else if (field == 1 || field == 2 || field == 4) {
            WireReader inner(payload, source);
            uint32_t f = 0;
            std::string_view p;
            while (!inner.done()) inner.next(f, p);
        }
    }
    if (!anyPiece) r.fail("no pieces");
}

}  // namespace ssmlens
