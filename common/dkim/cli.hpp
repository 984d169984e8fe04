// The DKIM key options that dkimkeygen(8) and qauth-config(8) share.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "crypto/keys.hpp"

namespace qauth::cli {

/// Adds --type NAME, "rsa" or "ed25519" (RFC 8463), to `app`; a value
/// given sets `type`, any other name is a usage error (DESIGN §3).
/// `description` is its help text. Returns the option.
CLI::Option* add_key_type(CLI::App& app, crypto::KeyType& type, const std::string& description);

}  // namespace qauth::cli
