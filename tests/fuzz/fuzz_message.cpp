// Fuzz harness (AFL++, `make fuzz`): a message on stdin goes through the
// reader, the DKIM verifier with keys from tests/fuzz/fuzz.zone, the
// forged-field removal and the Authentication-Results writer, as in
// dkimverify. Any crash or sanitizer report is a bug.
#include <cstdlib>

#include "authres/authres.hpp"
#include "authres/dkim.hpp"
#include "dkim/verify.hpp"
#include "dns/zone_resolver.hpp"
#include "mail/reader.hpp"

using namespace qauth;

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    auto zone = dns::make_zone_resolver({argv[1]});
    if (!zone) return 2;
    mail::Reader reader(0);
    auto header = reader.read_header();
    if (!header) return 0;
    dkim::Verifier verifier(**zone, {.now = 1700000000});
    verifier.begin(*header);
    authres::remove_forged(*header, "fuzz.example");
    if (!reader.read_body([&](std::string_view chunk) -> Result<void> {
            verifier.body(chunk);
            return {};
        }))
        return 0;
    auto field = authres::format("fuzz.example", authres::dkim_entries(verifier.finish()), "\n");
    return field.empty() ? 1 : 0;
}
