#include "dkim/result.hpp"

namespace qauth::dkim {

std::string_view result_name(DkimResult r) {
    switch (r) {
        case DkimResult::None: return "none";
        case DkimResult::Pass: return "pass";
        case DkimResult::Fail: return "fail";
        case DkimResult::Policy: return "policy";
        case DkimResult::Neutral: return "neutral";
        case DkimResult::TempError: return "temperror";
        case DkimResult::PermError: return "permerror";
    }
    return "none";
}

std::string_view failure_text(Failure f) {
    switch (f) {
        case Failure::None: return "";
        case Failure::BadSignature: return "";
        case Failure::Expired: return "";
        case Failure::KeyLookup: return "key lookup failed";
        case Failure::NoKey: return "RFC 6376 6.1.2: no key for signature";
        case Failure::BadKeyRecord: return "";
        case Failure::Sha1: return "RFC 8301 3.1: rsa-sha1 is not accepted";
        case Failure::KeyRevoked: return "RFC 6376 3.6.1: key revoked";
        case Failure::KeyTypeMismatch: return "RFC 6376 3.6.1: key type k= does not match a=";
        case Failure::HashNotAllowed: return "RFC 6376 3.6.1: key h= does not allow the hash of a=";
        case Failure::StrictIdentity: return "RFC 6376 3.6.1: key t=s forbids i= in a subdomain of d=";
        case Failure::BadPublicKey: return "RFC 6376 3.6.1";
        case Failure::ShortKey: return "RFC 8301 3.2: RSA key is too short";
        case Failure::BodyTooShort: return "RFC 6376 6.1.3: body is shorter than l=";
        case Failure::BodyHash: return "RFC 6376 6.1.3: body hash did not verify";
        case Failure::SignatureBad: return "RFC 6376 6.1.3: signature did not verify";
        case Failure::SeveralFrom: return "RFC 5322 3.6: more than one From field";
    }
    return "";
}

std::string SignatureResult::reason() const {
    std::string text(failure_text(failure));
    if (detail.empty()) return text;
    if (text.empty()) return detail;
    return text + ": " + detail;
}

DkimResult best_result(const std::vector<SignatureResult>& results) {
    const SignatureResult* b = best(results);
    return b ? b->result : DkimResult::None;
}

const SignatureResult* best(const std::vector<SignatureResult>& results) {
    // Order of preference when summarizing (RFC 6376 §6.3: one pass is enough).
    static constexpr DkimResult order[] = {DkimResult::Pass,      DkimResult::TempError, DkimResult::Fail,
                                           DkimResult::PermError, DkimResult::Neutral,   DkimResult::Policy};
    for (DkimResult want : order)
        for (const auto& r : results)
            if (r.result == want) return &r;
    return nullptr;
}

}  // namespace qauth::dkim
