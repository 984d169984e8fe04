// Reading Authentication-Results fields (authres/parse.hpp): what our
// writers produce reads back as written, RFC 8601 forms with comments and
// versions, malformed values refused whole, and own_results() reading only
// our own leading block.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "authres/parse.hpp"
#include "testdata.hpp"

using namespace qauth;
using namespace qauth::authres;

namespace {

std::string unfold_field(const std::string& field) {
    std::string v = field.substr(field.find(':') + 1);
    return v;
}

}  // namespace

TEST_CASE("authres parse: our own fields read back as written") {
    std::vector<MethodResult> in{
        {"spf", "pass", "mechanism ip4:192.0.2.0/24 matched", {{"smtp.mailfrom", "example.com"}}},
        {"dkim", "pass", "", {{"header.d", "example.com"}, {"header.s", "sel"}, {"header.b", "/gCrinpc"}}},
        {"dkim", "fail", "RFC 6376 6.1.3: body hash did not verify", {{"header.i", "@sub.example.com"}}},
    };
    for (const char* eol : {"\n", "\r\n"}) {
        auto out = parse_results(unfold_field(format("mx.example.net", in, eol)));
        REQUIRE(out);
        REQUIRE(out->size() == 3);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK((*out)[i].method == in[i].method);
            CHECK((*out)[i].result == in[i].result);
            CHECK((*out)[i].reason == in[i].reason);
            REQUIRE((*out)[i].properties.size() == in[i].properties.size());
            for (std::size_t p = 0; p < in[i].properties.size(); ++p) {
                CHECK((*out)[i].properties[p].name == in[i].properties[p].name);
                CHECK((*out)[i].properties[p].value == in[i].properties[p].value);
            }
        }
    }
    auto none = parse_results(unfold_field(format("mx.example.net", {}, "\n")));
    REQUIRE(none);
    CHECK(none->empty());
}

TEST_CASE("authres parse: RFC 8601 forms") {
    // Appendix B style: a version, comments anywhere, upper case, quoted values.
    auto r = parse_results(
        " example.com 1 (comment; with = specials); SPF=Pass (ok) smtp.mailfrom=User@Example.NET;\r\n"
        "\tdkim/1=fail (bad sig) reason=\"bad \\\"sig\\\"\" header.d=\"example.org\" header.b=AbC/+d");
    REQUIRE(r);
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].method == "spf");
    CHECK((*r)[0].result == "pass");
    REQUIRE(property((*r)[0], "smtp.mailfrom"));
    CHECK(*property((*r)[0], "smtp.mailfrom") == "User@Example.NET");
    CHECK((*r)[1].method == "dkim");
    CHECK((*r)[1].reason == "bad \"sig\"");
    CHECK(*property((*r)[1], "header.d") == "example.org");
    CHECK(*property((*r)[1], "header.b") == "AbC/+d");
    CHECK(property((*r)[1], "header.s") == nullptr);
    // A quoted local-part in an address pvalue.
    auto q = parse_results(" mx.test; spf=pass smtp.mailfrom=\"a b\"@Rej.example");
    REQUIRE(q);
    REQUIRE(q->size() == 1);
    CHECK(*property((*q)[0], "smtp.mailfrom") == "\"a b\"@Rej.example");
    CHECK(parse_results(" example.com; none")->empty());
    CHECK(parse_results(" example.com none")->empty());
}

TEST_CASE("authres parse: malformed values are refused whole") {
    for (const char* v : {"", " (only a comment)", " id; spf", " id; spf=", " id; spf=pass smtp",
                          " id; spf=pass smtp.mailfrom", " id; spf=pass (unclosed", " id; spf=pass x.y=\"open",
                          " id; spf=pass ) x.y=z", " id; spf=pass; ", " id extra words; spf=pass"}) {
        CAPTURE(v);
        CHECK(!parse_results(v));
    }
    std::string many = " id";
    for (std::size_t i = 0; i <= kMaxResinfos; ++i) many += "; dkim=pass";
    CHECK(!parse_results(many));
}

TEST_CASE("authres parse: own_results reads our leading block only") {
    auto p = test::read_message(
        "Authentication-Results: mx.test; dkim=pass header.d=a.example\n"
        "Received-SPF: pass (mx.test: ...) client-ip=192.0.2.1;\n"
        "Authentication-Results: mx.test; spf=pass smtp.mailfrom=a.example\n"
        "Authentication-Results: other.test; dkim=pass header.d=evil.example\n"
        "Received: from x by mx.test; date\n"
        "Authentication-Results: mx.test; dkim=pass header.d=forged.example\n"
        "From: a@a.example\n\nbody\n");
    auto r = own_results(p.header, "mx.test");
    REQUIRE(r.size() == 2);
    CHECK(*property(r[0], "header.d") == "a.example");
    CHECK(*property(r[1], "smtp.mailfrom") == "a.example");
    // Another authserv-id at the top is not ours: the block is empty.
    auto q = test::read_message("Authentication-Results: other.test; spf=pass smtp.mailfrom=evil.example\n"
                                "Authentication-Results: mx.test; spf=pass smtp.mailfrom=evil.example\n\nb\n");
    CHECK(own_results(q.header, "mx.test").empty());
}
