// DKIM's result vocabulary (RFC 6376 §6.1, RFC 8601 §2.7.1): the result of
// one signature, why it is not a pass, and what the verifier reports of it.
// Authentication-Results formatting lives in authres/, which consumes these.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qauth::dkim {

/// The dkim= result words of RFC 8601 §2.7.1.
enum class DkimResult { None, Pass, Fail, Policy, Neutral, TempError, PermError };

/// "none", "pass", "fail", "policy", "neutral", "temperror", "permerror".
std::string_view result_name(DkimResult r);

/// Why a signature did not pass: one code per rule, with one table of texts
/// (failure_text). Codes marked "+ detail" carry the particulars.
enum class Failure {
    None,             ///< it passed
    BadSignature,     ///< + detail: the field breaks RFC 6376 §3.5 (the detail cites the rule)
    Expired,          ///< + detail: x= is past (§3.5)
    KeyLookup,        ///< + detail: DNS trouble fetching the key (temperror)
    NoKey,            ///< §6.1.2: no key record at the name
    BadKeyRecord,     ///< + detail: the key record breaks §3.6.1 (the detail cites the rule)
    Sha1,             ///< RFC 8301 §3.1: rsa-sha1 is not accepted
    KeyRevoked,       ///< §3.6.1: empty p=
    KeyTypeMismatch,  ///< §3.6.1: k= does not match a=
    HashNotAllowed,   ///< §3.6.1: the key's h= excludes a='s hash
    StrictIdentity,   ///< §3.6.1: t=s and i= in a subdomain of d=
    BadPublicKey,     ///< + detail: p= does not decode as a key of k='s type
    ShortKey,         ///< + detail: RFC 8301 §3.2, RSA key under the minimum
    BodyTooShort,     ///< §6.1.3: the body is shorter than l=
    BodyHash,         ///< §6.1.3: body hash did not verify
    SignatureBad,     ///< §6.1.3: the signature did not verify
    SeveralFrom,      ///< RFC 5322 §3.6: more than one From field, so a pass proves nothing of the From shown
};

/// The fixed text of a failure ("RFC 6376 6.1.3: body hash did not verify"),
/// "" for the codes whose detail is the whole reason.
std::string_view failure_text(Failure f);

/// The outcome for one signature, with what RFC 8601 §2.7.1 reports of it.
struct SignatureResult {
    DkimResult result = DkimResult::PermError;
    Failure failure = Failure::None;
    std::string detail;     ///< particulars of `failure`, see Failure
    std::string domain;     ///< header.d (empty when the field did not parse)
    std::string identity;   ///< header.i
    std::string selector;   ///< header.s
    std::string algorithm;  ///< header.a
    std::string b_prefix;   ///< header.b: first 8 characters of b=
    bool testing = false;   ///< the key record has t=y

    /// The reason as one line: failure_text and detail ("" for a pass).
    std::string reason() const;
};

/// The best of the results: pass > temperror > fail/permerror..., none when empty.
DkimResult best_result(const std::vector<SignatureResult>& results);

/// The first result whose outcome is best_result(results); nullptr when empty.
const SignatureResult* best(const std::vector<SignatureResult>& results);

}  // namespace qauth::dkim
