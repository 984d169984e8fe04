// Fuzz harness (tests/fuzz/fuzz.hpp, `make fuzz`): the SRS address parser
// and scheme (common/srs) on untrusted envelope addresses, as srsfilter
// --rewrite and --reverse take them. Invariants: a parsed address written
// back parses to the same parts; a rewritten plain sender reverses to the
// sender as written back; nothing made is over the RFC 5321 bound.
#include <string>
#include <string_view>

#include "fuzz.hpp"
#include "srs/address.hpp"
#include "srs/guarded.hpp"

using namespace qauth;

namespace {

constexpr std::int64_t kNow = 1796212800;

const srs::Params& params() {
    static const srs::Params p = [] {
        srs::Params q;
        q.domain = "srs.example";
        q.secrets.emplace_back("fuzz secret");
        q.secrets.emplace_back("old");
        q.local_domains = {"ours.example", ".sub.example"};
        return q;
    }();
    return p;
}

bool tagged(std::string_view local) {
    return local.size() >= 4 && (local[0] | 0x20) == 's' && (local[1] | 0x20) == 'r' && (local[2] | 0x20) == 's';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto& p = params();
    if (auto a = srs::parse_address(text)) {
        std::string written = srs::format_address(a->local, a->domain);
        auto again = srs::parse_address(written);
        // Writing back may quote, which can push a raw form over the bound.
        if (written.size() <= srs::kMaxAddress && (!again || again->local != a->local || again->domain != a->domain))
            __builtin_trap();
    }
    if (auto r = srs::rewrite(p, text, kNow)) {
        if (r->address.size() > srs::kMaxAddress && r->rewritten) __builtin_trap();
        if (r->rewritten) {
            auto a = srs::parse_address(text);
            if (!a) __builtin_trap();
            auto back = srs::reverse(p, r->address, kNow);
            if (!back) __builtin_trap();
            if (!tagged(a->local) && *back != srs::format_address(a->local, a->domain)) __builtin_trap();
        }
    }
    (void)srs::reverse(p, text, kNow);
    std::string at_ours(text);
    at_ours += "@srs.example";
    if (auto r = srs::reverse(p, at_ours, kNow); r && r->size() > 2 * srs::kMaxAddress) __builtin_trap();
    return 0;
}
