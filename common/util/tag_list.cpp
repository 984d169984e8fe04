#include "util/tag_list.hpp"

#include "util/strings.hpp"

namespace qauth {

namespace {

constexpr std::size_t kMaxTags = 64;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// tval = 1*VALCHAR, VALCHAR = %x21-3A / %x3C-7E, FWS between tvals. 8-bit
// bytes are let through as dkimpy and OpenDKIM do: they turn up in the n=
// notes of real key records, whose unknown tags must be ignored (3.6.1); the
// tags we use check their own values.
bool valid_value(std::string_view v) {
    for (char c : v) {
        unsigned char u = static_cast<unsigned char>(c);
        if (is_fws(c)) continue;
        if (u < 0x21 || u == 0x7f) return false;
    }
    return true;
}

}  // namespace

const std::string* TagList::find(std::string_view name) const {
    for (const auto& t : tags)
        if (t.name == name) return &t.value;
    return nullptr;
}

Result<std::vector<TagSpec>> split_tag_specs(std::string_view text, std::size_t max_specs, std::string_view rule) {
    std::vector<TagSpec> specs;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t semi = text.find(';', pos);
        std::string_view spec = trim_fws(text.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
        pos = semi == std::string_view::npos ? text.size() + 1 : semi + 1;
        if (spec.empty()) continue;  // the trailing ";", or ";;"
        if (specs.size() >= max_specs)
            return fail(std::string(rule) + ": more than " + std::to_string(max_specs) + " tags");
        std::size_t eq = spec.find('=');
        if (eq == std::string_view::npos) {
            specs.push_back(TagSpec{spec, {}, false});
            continue;
        }
        specs.push_back(TagSpec{trim_fws(spec.substr(0, eq)), trim_fws(spec.substr(eq + 1)), true});
    }
    return specs;
}

Result<TagList> parse_tag_list(std::string_view text) {
    // Real lists have a dozen tags; the bound keeps the duplicate check cheap.
    auto specs = split_tag_specs(text, kMaxTags, "RFC 6376 3.2");
    if (!specs) return std::unexpected(specs.error());
    TagList list;
    for (const TagSpec& spec : *specs) {
        if (!spec.has_equals) return fail("RFC 6376 3.2: tag without '=': " + std::string(spec.name).substr(0, 40));
        std::string_view name = spec.name;
        if (name.empty() || !is_alpha(name[0])) return fail("RFC 6376 3.2: bad tag name");
        for (char c : name)
            if (!is_alpha(c) && !is_digit(c) && c != '_') return fail("RFC 6376 3.2: bad tag name");
        if (!valid_value(spec.value)) return fail("RFC 6376 3.2: bad character in value of tag " + std::string(name));
        if (list.find(name)) return fail("RFC 6376 3.2: duplicate tag " + std::string(name));
        list.tags.push_back(Tag{std::string(name), std::string(spec.value)});
    }
    return list;
}

}  // namespace qauth
