#include "crypto/der.hpp"

#include <string>

namespace qauth::crypto::der {

std::optional<std::uint8_t> Reader::peek() const {
    if (rest_.empty()) return std::nullopt;
    return static_cast<std::uint8_t>(rest_[0]);
}

Result<std::string_view> Reader::read(std::uint8_t tag, std::string_view what) {
    auto bad = [what](std::string_view why) { return fail("DER " + std::string(what) + ": " + std::string(why)); };
    if (rest_.size() < 2) return bad("truncated");
    if (static_cast<std::uint8_t>(rest_[0]) != tag) return bad("unexpected tag");
    std::size_t first = static_cast<unsigned char>(rest_[1]);
    std::size_t header = 2;
    std::size_t length = first;
    if (first & 0x80) {
        // X.690 §10.1: long form, minimal; 4 length bytes is far beyond any key.
        std::size_t count = first & 0x7f;
        if (count == 0) return bad("indefinite length");
        if (count > 4) return bad("length too large");
        if (rest_.size() < 2 + count) return bad("truncated length");
        if (rest_[2] == 0) return bad("non-minimal length");
        length = 0;
        for (std::size_t i = 0; i < count; ++i) length = length << 8 | static_cast<unsigned char>(rest_[2 + i]);
        if (length < 0x80) return bad("non-minimal length");
        header += count;
    }
    if (rest_.size() - header < length) return bad("truncated");
    std::string_view contents = rest_.substr(header, length);
    rest_.remove_prefix(header + length);
    return contents;
}

Result<AlgorithmIdentifier> read_algorithm(Reader& r) {
    auto seq = r.read(kSequence, "AlgorithmIdentifier");
    if (!seq) return std::unexpected(seq.error());
    Reader inner(*seq);
    auto oid = inner.read(kOid, "AlgorithmIdentifier algorithm");
    if (!oid) return std::unexpected(oid.error());
    // Whatever follows the OID is the parameters element; the caller judges it.
    std::string_view params = seq->substr(static_cast<std::size_t>(oid->data() + oid->size() - seq->data()));
    return AlgorithmIdentifier{*oid, params};
}

bool null_or_absent(std::string_view params) {
    return params.empty() || params == std::string_view("\x05\x00", 2);
}

}  // namespace qauth::crypto::der
