// Guarded SRS (the SRS paper, Shevek 2004, §4.3 "Guarded"; Mail::SRS::Guarded
// and libsrs2's srs_forward/srs_reverse), byte for byte as Mail::SRS 0.31:
//
//   plain sender u@h        -> SRS0=HHHH=TT=h=u@srsdomain
//                              hash over (TT, h, u)
//   SRS0 sender SRS0=...@h  -> SRS1=HHHH=h==HHHH=TT=h0=u@srsdomain
//                              hop host h, then the SRS0 local part less its
//                              tag (its separator kept, hence "=="); hash over
//                              (h, "=HHHH=TT=h0=u")
//   SRS1 sender SRS1=XXXX=h==...@h2 -> SRS1=HHHH=h==...@srsdomain
//                              re-wrapped with a new hash, not nested
//
// The separator after SRS0/SRS1 is Params::separator; the fields after it
// are always separated by '='. On input the tags are matched ignoring case
// and '=', '+' and '-' are accepted after them; the last field (the local
// part) may itself hold '=' (fields are split with a limit).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "srs/address.hpp"
#include "srs/params.hpp"
#include "util/result.hpp"

namespace qauth::srs {

/// What rewrite() did: `address` is the sender to use; when `rewritten` is
/// false it is the input unchanged and `why_not` says why ("null sender",
/// "SRS is off", "local domain").
struct Rewritten {
    std::string address;
    bool rewritten = false;
    std::string why_not;
};

/// The SRS form of envelope sender `sender` at time `now` (Unix seconds).
/// Not rewritten: the null sender (is_null_sender), anything while
/// `p.domain` is empty, and unless `p.always_rewrite` a sender in
/// `p.local_domains` or in `p.domain` itself (Mail::SRS's forward leaves
/// a sender of the alias domain alone). Needs a secret when it rewrites.
/// Errors (permanent, "5.1.7 SRS: ..."): a sender parse_address refuses, a
/// malformed SRS1 sender (fewer than three fields), a result longer than
/// kMaxAddress.
Result<Rewritten> rewrite(const Params& p, std::string_view sender, std::int64_t now);

/// The address an SRS address `address` at `p.domain` (ignoring case)
/// stands for: SRS0=HHHH=TT=h=u@... gives u@h, after checking the hash with
/// every secret (hash_verify, p.hashmin) and the timestamp (p.maxage,
/// timestamp_check at `now`); SRS1=HHHH=h==rest@... gives SRS0=rest@h (the
/// previous hop's bounce address, Mail::SRS's reverse of SRS1) after checking
/// its hash. Errors (permanent, "5.1.1 SRS: ..."): SRS off (p.domain empty;
/// srs::load refuses that first), not for p.domain, not an
/// SRS address, malformed (a field missing or empty), a hashless SRS1 (its
/// hash field holds '.', Mail::SRS's AllowUnsafeSrs), an invalid hash, a bad
/// timestamp; a decoded host (the original domain, the SRS1 hop host) that
/// domain_ok() refuses ("the original domain is not a domain name or address
/// literal: ..."); and the errors of parse_address, for the SRS address and
/// for the result. The local part comes out quoted when it is no dot-atom
/// (format_address): "a@b" in it gives "\"a@b\"@host".
Result<std::string> reverse(const Params& p, std::string_view address, std::int64_t now);

}  // namespace qauth::srs
