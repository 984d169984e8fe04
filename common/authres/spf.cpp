#include "authres/spf.hpp"

namespace qauth::authres {

MethodResult spf_entry(const spf::CheckResult& check, bool helo_identity, std::string_view value) {
    return MethodResult{"spf",
                        std::string(spf::result_name(check.result)),
                        check.reason,
                        {{helo_identity ? "smtp.helo" : "smtp.mailfrom", std::string(value)}}};
}

}  // namespace qauth::authres
