#include "filter/checker.hpp"

#include "authres/authserv_id.hpp"

namespace qauth::filter {

Result<Checker> open_checker(const std::optional<std::string>& authserv_id, const qmail::ControlDir& control,
                             const dns::Options& dns) {
    auto id = authres::resolve_authserv_id(authserv_id, control);
    if (!id) return std::unexpected(id.error());
    auto resolver = dns::make_resolver(dns);
    if (!resolver) return std::unexpected(resolver.error());
    return Checker{std::move(*id), std::move(*resolver)};
}

}  // namespace qauth::filter
