// What every checking stage (dkimverify, spfcheck, dmarccheck) sets up the
// same way: the authserv-id its Authentication-Results fields carry and the
// resolver it asks.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "dns/resolver.hpp"
#include "qmail/control.hpp"
#include "util/result.hpp"

namespace qauth::filter {

struct Checker {
    std::string authserv_id;
    std::unique_ptr<dns::Resolver> resolver;
};

/// The authserv-id (authres::resolve_authserv_id(): `authserv_id`, else
/// control/me, else the host name) and the resolver `dns` describes (zone
/// files are read now). Errors are theirs, naming the option or file.
Result<Checker> open_checker(const std::optional<std::string>& authserv_id, const qmail::ControlDir& control,
                             const dns::Options& dns);

}  // namespace qauth::filter
