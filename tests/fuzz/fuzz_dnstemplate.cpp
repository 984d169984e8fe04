// Fuzz harness (tests/fuzz/fuzz.hpp, `make fuzz`): the bytes are a
// control/dnstemplate, expanded for a domain as qauth-dnsrecords does; each
// record must lie within the domain and the bounds, and the zone text we
// print for it must read back (as a template line) to the same text.
#include <string>
#include <string_view>

#include "dnsrecords/expected.hpp"
#include "dnsrecords/template.hpp"
#include "fuzz.hpp"

using namespace qauth;
using namespace qauth::dnsrecords;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto recs = expand_template(text, "example.com", std::string("192.0.2.1"), "fuzz");
    if (!recs) return 0;
    if (recs->size() > kMaxTemplateRecords) __builtin_trap();
    for (const auto& r : *recs) {
        if (r.text.size() > kMaxTxtText) __builtin_trap();
        if (r.name != "example.com" && !r.name.ends_with(".example.com")) __builtin_trap();
        if (r.text.find('<') != std::string::npos) continue;  // would read back as a placeholder
        std::string line = r.name + ". TXT " + txt_data(r.text);
        for (auto& c : line)
            if (c == '\n' || c == '\t') c = ' ';  // txt_data's continuation lines, joined
        auto again = expand_template(line, "example.com", std::nullopt, "again");
        if (!again || again->size() != 1 || (*again)[0] != r) __builtin_trap();
    }
    return 0;
}
