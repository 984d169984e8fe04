// Fuzz harness (tests/fuzz/fuzz.hpp, `make fuzz`): a TXT text goes through
// DMARC record selection and the record parser in both modes, as policy
// discovery will. Invariants: selection agrees with is_dmarc_record(); a
// text that parses is a DMARC record and its values are in range; parsing
// is deterministic; the canonical text of a parsed record parses, without
// warnings, back to the same record.
#include <string>
#include <string_view>

#include "dmarc/record.hpp"
#include "fuzz.hpp"

using namespace qauth;
using namespace qauth::dmarc;

namespace {
void check(std::string_view text, Rfc rfc) {
    auto record = parse_record(text, rfc);
    auto again = parse_record(text, rfc);
    if (record.has_value() != again.has_value()) __builtin_trap();
    if (!record) {
        if (record.error().reason != again.error().reason) __builtin_trap();
        return;
    }
    if (*record != *again) __builtin_trap();
    if (!is_dmarc_record(text) || text.size() > kMaxRecordSize) __builtin_trap();
    const Record& r = *record;
    if (r.pct < 0 || r.pct > 100 || (rfc == Rfc::Dmarcbis && r.pct != 100)) __builtin_trap();
    if (r.psd != 'y' && r.psd != 'n' && r.psd != 'u') __builtin_trap();
    if (rfc == Rfc::Rfc7489 && (r.testing || r.psd != 'u')) __builtin_trap();
    if (r.rua.size() > kMaxUris || r.ruf.size() > kMaxUris || r.fo.empty() || r.rf.empty()) __builtin_trap();
    // At most one line per tag-spec, and one for the RFC 7489 6.6.3 rule.
    if (r.warnings.size() > kMaxTags + 1) __builtin_trap();

    const std::string canon = record_text(r, rfc);
    // The canonical form adds "; p=none" and spaces: a record near the
    // size bound may no longer fit, which is no fault of the parser.
    if (canon.size() > kMaxRecordSize) return;
    auto back = parse_record(canon, rfc);
    if (!back || !back->warnings.empty()) __builtin_trap();
    Record expect = r;
    expect.warnings.clear();
    if (*back != expect || record_text(*back, rfc) != canon) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string txt[] = {std::string(text)};
    auto chosen = select_record(txt);
    if (!chosen || chosen->has_value() != is_dmarc_record(text)) __builtin_trap();
    const std::string twice[] = {std::string(text), std::string(text)};
    if (select_record(twice).has_value() == is_dmarc_record(text)) __builtin_trap();
    check(text, Rfc::Dmarcbis);
    check(text, Rfc::Rfc7489);
    return 0;
}
