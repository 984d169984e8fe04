// Small string helpers shared by the parsers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qauth {

/// Splits `text` at every `sep`; empty pieces are kept ("a::b" -> a, "", b).
std::vector<std::string> split(std::string_view text, char sep);

/// ASCII lower-case copy.
std::string lower(std::string_view text);

}  // namespace qauth
