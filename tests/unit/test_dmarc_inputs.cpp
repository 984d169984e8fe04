// DMARC's inputs from our own A-R block (dmarc/inputs.hpp): SPF by MAIL FROM
// (domain or address form) or, for the null sender only, HELO; DKIM by d=.
#include <doctest/doctest.h>

#include "authres/parse.hpp"
#include "dmarc/inputs.hpp"
#include "testdata.hpp"

using namespace qauth;
using namespace qauth::dmarc;

TEST_CASE("dmarc inputs: SPF and DKIM identifiers from our own block") {
    auto p = test::read_message(
        "Authentication-Results: mx.test; spf=pass smtp.helo=mail.helo.example\n"
        "Authentication-Results: mx.test; spf=fail smtp.mailfrom=Bob@Sub.Example.COM\n"
        "Authentication-Results: mx.test; dkim=pass header.d=Example.com header.s=s; dkim=fail\n"
        "  header.d=other.example; dkim=none; arc=pass\n"
        "Received: from x by mx.test; date\n"
        "Authentication-Results: mx.test; dkim=pass header.d=forged.example\n"
        "From: a@example.com\n\nbody\n");
    auto a = auth_results(authres::own_results(p.header, "mx.test"));
    CHECK(a.has_spf);
    CHECK(a.has_dkim);
    REQUIRE(a.spf.size() == 1);  // the HELO entry gives way to MAIL FROM
    CHECK(a.spf[0].domain == "sub.example.com");
    CHECK(a.spf[0].result == "fail");
    REQUIRE(a.dkim.size() == 2);
    CHECK(a.dkim[0].domain == "example.com");
    CHECK(a.dkim[0].result == "pass");
    CHECK(a.dkim[1].domain == "other.example");
    CHECK(a.dkim[1].result == "fail");
}

TEST_CASE("dmarc inputs: a domain-form mailfrom, and HELO for the null sender") {
    auto p = test::read_message("Authentication-Results: mx.test; spf=pass smtp.mailfrom=example.org\n\nb\n");
    auto a = auth_results(authres::own_results(p.header, "mx.test"));
    REQUIRE(a.spf.size() == 1);
    CHECK(a.spf[0].domain == "example.org");
    CHECK(!a.has_dkim);
    p = test::read_message("Authentication-Results: mx.test; spf=none smtp.helo=mail.example.org\n\nb\n");
    a = auth_results(authres::own_results(p.header, "mx.test"));
    REQUIRE(a.spf.size() == 1);
    CHECK(a.spf[0].domain == "mail.example.org");
    CHECK(a.spf[0].result == "none");
    // An unusable value: the filter ran, no identifier.
    p = test::read_message("Authentication-Results: mx.test; spf=pass smtp.mailfrom=\"a@[192.0.2.1]\"\n\nb\n");
    a = auth_results(authres::own_results(p.header, "mx.test"));
    CHECK(a.has_spf);
    CHECK(a.spf.empty());
}
