// How qauth programs start OpenSSL: without reading openssl.cnf unless the
// administrator asks for it.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace qauth::crypto {

/// Initialises libcrypto once per process; every function that calls an
/// OpenSSL routine able to start it implicitly (RSA_new, d2i_*,
/// RAND_set_rand_method) calls this first, so that our choice wins.
///
/// Policy: the configuration file is not loaded (OPENSSL_INIT_NO_LOAD_CONFIG)
/// unless the environment variable OPENSSL_CONF names one, in which case that
/// file is loaded as OpenSSL would. Reading /usr/lib/ssl/openssl.cnf cost
/// 1.9 million instructions per run (callgrind: RSA_new with and without
/// the flag, Debian's file), more than signing a 10 KB message, and nothing
/// in it governs what we call: the RSA, SHA and DER routines we use are the
/// legacy ones, not fetched from providers, so provider and property settings
/// (including FIPS activation) do not apply to them, and the TLS settings
/// (CipherString, MinProtocol) have no user here. What the default ignores:
/// an ENGINE configured there as the default RSA method. Nor are OpenSSL's
/// error strings loaded (OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS): the first use
/// of its error queue (a failing d2i or RSA call, or the ERR_clear_error
/// after RSA_verify) would load all of them, 0.9
/// million instructions; openssl_error() then reports the code for
/// `openssl errstr`. With OPENSSL_CONF set, OpenSSL starts as it would by
/// itself, strings included.
///
/// Returns an error (naming the file) when OPENSSL_CONF is set and OpenSSL
/// reports that loading it failed; callers treat that as a configuration
/// error, a temporary failure (DESIGN §3).
Result<void> init_openssl();

/// `what` plus OpenSSL's first queued error in parentheses, if any: its text,
/// or without loaded strings its code and the command that explains it.
/// Empties the error queue, so that a later, unrelated failure does not
/// report this one.
std::string openssl_error(std::string_view what);

}  // namespace qauth::crypto
