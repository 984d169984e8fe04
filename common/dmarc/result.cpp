#include "dmarc/result.hpp"

namespace qauth::dmarc {

std::string_view result_name(DmarcResult r) {
    switch (r) {
    case DmarcResult::None: return "none";
    case DmarcResult::Pass: return "pass";
    case DmarcResult::Fail: return "fail";
    case DmarcResult::Temperror: return "temperror";
    case DmarcResult::Permerror: return "permerror";
    }
    return "permerror";
}

std::string_view policy_name(Policy p) {
    switch (p) {
    case Policy::None: return "none";
    case Policy::Quarantine: return "quarantine";
    case Policy::Reject: return "reject";
    }
    return "none";
}

std::string_view alignment_name(Alignment a) {
    switch (a) {
    case Alignment::Relaxed: return "relaxed";
    case Alignment::Strict: return "strict";
    }
    return "relaxed";
}

}  // namespace qauth::dmarc
