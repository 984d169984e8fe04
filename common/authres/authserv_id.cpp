#include "authres/authserv_id.hpp"

#include <unistd.h>

#include "authres/authres.hpp"

namespace qauth::authres {

Result<std::string> resolve_authserv_id(const std::optional<std::string>& option, const qmail::ControlDir& control) {
    if (option && option->empty()) return usage_error("--authserv-id: empty");
    std::string id, from = "--authserv-id";
    if (option) {
        id = *option;
    } else {
        auto me = control.value("me", "");
        if (!me) return std::unexpected(me.error());
        id = *me;
        from = control.path("me");
    }
    if (id.empty()) {
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        id = host[0] ? host : "localhost";
        from = "host name";
    }
    // One check and one message for every source, naming it; a bad option
    // value is a usage error (DESIGN §3).
    if (!valid_authserv_id(id)) {
        std::string why = from + ": not a valid authserv-id: " + id;
        return option ? usage_error(why) : fail(why);
    }
    return id;
}

}  // namespace qauth::authres
