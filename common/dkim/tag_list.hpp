// DKIM tag=value lists (RFC 6376 §3.2), used by signatures and key records.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace qauth::dkim {

/// One tag: the name and its value with surrounding whitespace removed
/// (inner folding whitespace is kept; callers that need it gone remove it).
struct Tag {
    std::string name;
    std::string value;
};

/// A parsed tag list, in the order the tags appeared.
class TagList {
public:
    std::vector<Tag> tags;

    /// The value of tag `name`, or nullptr when absent (tag names are case-sensitive, §3.2).
    const std::string* find(std::string_view name) const;
};

/// Parses `text` as tag-list = tag-spec *( ";" tag-spec ) [ ";" ] (RFC 6376 §3.2).
/// Errors: a tag-spec without '=', a tag name that is not ALPHA *ALNUMPUNC,
/// a duplicate tag name (the whole list is then invalid), a value with
/// characters outside tval. An empty list (only whitespace) is valid.
Result<TagList> parse_tag_list(std::string_view text);

/// `text` with every SP, HTAB, CR and LF removed (for base64 values and h=).
std::string strip_fws(std::string_view text);

}  // namespace qauth::dkim
