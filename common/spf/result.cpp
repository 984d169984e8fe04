#include "spf/result.hpp"

namespace qauth::spf {

std::string_view result_name(SpfResult r) {
    switch (r) {
    case SpfResult::None: return "none";
    case SpfResult::Neutral: return "neutral";
    case SpfResult::Pass: return "pass";
    case SpfResult::Fail: return "fail";
    case SpfResult::Softfail: return "softfail";
    case SpfResult::Temperror: return "temperror";
    case SpfResult::Permerror: return "permerror";
    }
    return "permerror";
}

SpfResult qualifier_result(Qualifier q) {
    switch (q) {
    case Qualifier::Pass: return SpfResult::Pass;
    case Qualifier::Fail: return SpfResult::Fail;
    case Qualifier::Softfail: return SpfResult::Softfail;
    case Qualifier::Neutral: return SpfResult::Neutral;
    }
    return SpfResult::Neutral;
}

int permissiveness(SpfResult r) {
    switch (r) {
    case SpfResult::Pass: return 5;
    case SpfResult::Neutral: return 4;
    case SpfResult::None: return 3;
    case SpfResult::Softfail: return 2;
    case SpfResult::Fail: return 1;
    case SpfResult::Temperror:
    case SpfResult::Permerror: return 0;
    }
    return 0;
}

namespace {
bool is_error(SpfResult r) { return r == SpfResult::Temperror || r == SpfResult::Permerror; }
}  // namespace

SpfResult more_permissive(SpfResult a, SpfResult b) {
    if (is_error(b)) return a;
    // The policy's error is deferred (temperror) or accepted (permerror, up
    // to mode 5) by every mode: only a verdict no mode refuses more often
    // may take its place, so that a DNS hiccup never turns into a bounce.
    if (is_error(a)) return permissiveness(b) >= permissiveness(SpfResult::None) ? b : a;
    return permissiveness(b) > permissiveness(a) ? b : a;
}

}  // namespace qauth::spf
