// Text forms shared by the resolvers: canonical query names, type names and
// the one-line reasons that go into Answer::error.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "dns/resolver.hpp"

namespace qauth::dns {

/// The longest CNAME chain any resolver follows for one lookup.
inline constexpr int kMaxCnameLinks = 8;

/// The lookup key of `name`: Domain::parse(name, NameRules::Query).str()
/// (dns/domain.hpp): ASCII letters lower-cased (RFC 4343 §3), one trailing
/// dot removed, "" for the root ("."), any other byte taken literally (no
/// "\." or "\DDD" escapes). nullopt when it cannot be a domain name: empty,
/// an empty label, a label over 63 octets or more than 255 octets in wire
/// form (RFC 1035 §2.3.4).
std::optional<std::string> canonical_name(std::string_view name);

/// "TXT", "MX", ... for error messages.
std::string_view type_name(RrType type);

/// "example.com/TXT" ("./TXT" for the root): the question, for error messages.
std::string question_text(std::string_view canonical, RrType type);

/// The longest Answer::error: room for two names of 253 octets, escaped.
inline constexpr std::size_t kMaxErrorText = 2048;

/// A TempFail answer whose error is `why` made one line by printable()
/// (util/strings.hpp), at most kMaxErrorText bytes.
Answer temp_fail(std::string_view why);

/// The answer for a name that canonical_name() rejects: NXDOMAIN, since no
/// such name can exist, with the reason in `error`.
Answer invalid_name(std::string_view name);

}  // namespace qauth::dns
