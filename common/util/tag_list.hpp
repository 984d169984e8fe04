// Tag=value lists: DKIM signatures and key records (RFC 6376 §3.2) and DMARC
// records (RFC 7489 §6.4, which uses the same tag-list form).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace qauth {

/// One tag: the name and its value with surrounding whitespace removed
/// (inner folding whitespace is kept; callers that need it gone use strip_fws()
/// from util/strings.hpp).
struct Tag {
    std::string name;
    std::string value;
};

/// A parsed tag list, in the order the tags appeared.
class TagList {
public:
    std::vector<Tag> tags;

    /// The value of tag `name`, or nullptr when absent (tag names are
    /// case-sensitive, RFC 6376 §3.2; so are values unless a tag's own
    /// definition says otherwise: callers compare them with ==).
    const std::string* find(std::string_view name) const;
};

/// One tag-spec as written, before any rule about names or values: the
/// text before the first '=' and after it, each with surrounding folding
/// whitespace removed. `has_equals` is false for a spec without '=' (then
/// `name` is the whole trimmed spec and `value` is empty). Views into the
/// text given to split_tag_specs().
struct TagSpec {
    std::string_view name;
    std::string_view value;
    bool has_equals = false;
};

/// Splits `text` at every ';' into tag-specs (RFC 6376 §3.2, RFC 7489 §6.4,
/// which share the form), dropping specs that are only whitespace (the
/// trailing ";" and empty ones between). This is the one splitter: DKIM's
/// strict rules (parse_tag_list) and DMARC's lenient ones (dmarc/record.hpp)
/// are applied by the callers. Error when there are more than `max_specs`
/// non-empty specs (the reason cites `rule`, e.g. "RFC 6376 3.2").
Result<std::vector<TagSpec>> split_tag_specs(std::string_view text, std::size_t max_specs, std::string_view rule);

/// Parses `text` as tag-list = tag-spec *( ";" tag-spec ) [ ";" ] (RFC 6376
/// §3.2, RFC 7489 §6.4). Errors (which cite RFC 6376 3.2): a tag-spec without
/// '=', a tag name that is not ALPHA *ALNUMPUNC, a duplicate tag name (the
/// whole list is then invalid), a value with characters outside tval, more
/// than 64 tags. An empty list (only whitespace) is valid.
Result<TagList> parse_tag_list(std::string_view text);

}  // namespace qauth
