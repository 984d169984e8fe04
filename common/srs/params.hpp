// The settings of Guarded SRS (DESIGN §5's srs_* control files, loaded by
// srs/config), with Mail::SRS's defaults.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "crypto/secret.hpp"

namespace qauth::srs {

struct Params {
    std::string domain;                          ///< srs_domain; "" = SRS off
    std::vector<crypto::SecretString> secrets;   ///< srs_secrets: the first signs, all verify
    unsigned maxage = 21;                        ///< srs_maxage: days a bounce address stays valid
    std::size_t hashlength = 4;                  ///< srs_hashlength: hash characters written
    std::size_t hashmin = 4;                     ///< srs_hashmin: fewest hash characters accepted
    char separator = '=';                        ///< srs_separator: after SRS0/SRS1 ('=', '+' or '-')
    bool always_rewrite = false;                 ///< srs_alwaysrewrite: rewrite our own domains too
    std::vector<std::string> local_domains;      ///< rcpthosts, locals, --local-domain
};

}  // namespace qauth::srs
