// DMARC evaluation of one RFC5322.From domain (RFC 7489 §3.1, §6.6; RFC
// 9989): identifier alignment of the SPF and DKIM results, the result, and
// the disposition the policy asks for.
#pragma once

#include <functional>
#include <string>

#include "dmarc/discovery.hpp"
#include "dmarc/inputs.hpp"

namespace qauth::dmarc {

/// True when `id` is aligned with `from` (RFC 7489 §3.1): strict, the same
/// name; relaxed, the same organizational domain (`org_of` gives it; an
/// error there means not aligned). Names are compared lower-case.
bool aligned(const dns::Domain& id, const dns::Domain& from, Alignment mode,
             const std::function<Result<std::string>(const dns::Domain&)>& org_of);

/// The verdict for one From domain.
struct Verdict {
    DmarcResult result = DmarcResult::None;
    std::string from_domain;
    std::string policy_domain;  ///< where the record was found ("" without one)
    Policy policy = Policy::None;       ///< the applicable policy (p=, sp= or np=)
    Policy disposition = Policy::None;  ///< what to do: none on pass; the policy, or lower for pct=/t=y
    bool spf_aligned = false, dkim_aligned = false;
    std::string reason;  ///< one line
};

/// Rolls pct= (RFC 7489 §6.6.4): true when this message is in the sample.
/// None set: every message is.
using Sampler = std::function<bool(int pct)>;

/// Evaluates `from` (RFC 7489 §6.6.2-§6.6.4, RFC 9989): discovery; no
/// policy is none; a DNS failure is temperror; else pass when an SPF pass
/// or a DKIM pass is aligned (aspf=, adkim=), fail otherwise. On fail the
/// disposition is the applicable policy, one step lower (reject ->
/// quarantine -> none) when the record has t=y (RFC 9989) or, in Psl mode,
/// the message is outside the pct= sample (`sample`).
Verdict evaluate(dns::Resolver& dns, const dns::Domain& from, const AuthResults& auth, Discovery mode,
                 const Sampler& sample, const Trace& trace = {});

/// The stricter of two verdicts, for a message with several From domains
/// (issue 8): temperror first (we cannot tell), then by disposition
/// (reject > quarantine > none), then fail > permerror > none > pass.
const Verdict& stricter(const Verdict& a, const Verdict& b);

}  // namespace qauth::dmarc
