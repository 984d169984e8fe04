// Message reading, addresses, folding and Authentication-Results.
#include <doctest/doctest.h>

#include <cstdio>
#include <unistd.h>

#include "authres/authres.hpp"
#include "mail/address.hpp"
#include "mail/fold.hpp"
#include "mail/reader.hpp"
#include "util/strings.hpp"
#include "testdata.hpp"

using namespace qauth;

using test::read_message;

TEST_CASE("reader: LF and CRLF, folding, separator") {
    auto p = read_message("From: a@b\nSubject: x\n  y\n\nbody\n");
    CHECK(p.header.line_end == mail::LineEnd::Lf);
    REQUIRE(p.header.fields.size() == 2);
    CHECK(p.header.fields[1].raw == "Subject: x\n  y\n");
    CHECK(p.header.fields[1].unfolded_value() == "x  y");
    CHECK(p.header.separator == "\n");
    CHECK(p.body == "body\n");

    auto q = read_message("From: a@b\r\n\r\nbody\r\n");
    CHECK(q.header.line_end == mail::LineEnd::CrLf);
    CHECK(q.header.separator == "\r\n");
    CHECK(q.body == "body\r\n");
}

TEST_CASE("reader: no separator, empty input, malformed lines, NUL bytes") {
    auto p = read_message("From: a@b\nno colon here\n continued");
    CHECK(p.header.separator.empty());
    REQUIRE(p.header.fields.size() == 2);
    CHECK_FALSE(p.header.fields[1].valid());
    CHECK(p.body.empty());
    CHECK(read_message("").header.fields.empty());
    auto n = read_message(std::string("X-A: a\0b\n\nbo\0dy", 15));
    CHECK(n.header.fields[0].raw == std::string("X-A: a\0b\n", 9));
    CHECK(n.body == std::string("bo\0dy", 5));
    CHECK(read_message("\nbody").body == "body");
    CHECK(read_message(" lead: x\nA: b\n\n").header.fields.size() == 2);
}

TEST_CASE("reader: a header past the limit is cut at a line end, nothing lost") {
    // The reader reads 64 KiB at a time, so the header must outgrow one read.
    std::string msg = "A: 1\nB: " + std::string(100000, 'x') + "\nC: 3\n\nbody";
    auto p = read_message(msg, 64);
    CHECK(p.header.fields.size() == 1);
    std::string all;
    for (auto& f : p.header.fields) all += f.raw;
    CHECK(all + p.header.separator + p.body == msg);
}

TEST_CASE("addresses and domains") {
    CHECK(mail::addresses("Joe SixPack <joe@football.example.com>") == std::vector<std::string>{"joe@football.example.com"});
    CHECK(mail::addresses("\"Doe, John\" <j@x.org>, k@y.org (comment)") == std::vector<std::string>{"j@x.org", "k@y.org"});
    CHECK(mail::addresses("group: a@b.c, d@e.f;") == std::vector<std::string>{"a@b.c", "d@e.f"});
    CHECK(*mail::address_domain("joe@Football.Example.COM.") == "football.example.com");
    CHECK_FALSE(mail::address_domain("joe"));
    CHECK_FALSE(mail::address_domain("joe@[192.0.2.1]"));
    CHECK_FALSE(mail::address_domain("joe@"));
}

TEST_CASE("folding at 78 columns with tabs") {
    mail::Folder f("X-Test:", "\n");
    for (int i = 0; i < 20; ++i) f.word("word" + std::to_string(i));
    std::string s = f.finish();
    std::size_t start = 0;
    while (start < s.size()) {
        std::size_t nl = s.find('\n', start);
        std::string line = s.substr(start, nl - start);
        CHECK(line.size() + (start ? 7 : 0) <= 78);
        if (start) CHECK(line[0] == '\t');
        start = nl + 1;
    }
    // Was "a b c": 8-bit and control bytes were deleted (issue 5); escaped now.
    CHECK(printable("a\r\nb\x01 c\xff") == "a b\\x01 c\\xff");
}

TEST_CASE("Authentication-Results: format, parse, forged removal") {
    std::vector<authres::MethodResult> r{{"dkim", "pass", "", {{"header.d", "example.com"}, {"header.b", "Ab/+="}}},
                                         {"dkim", "fail", "bad \"sig\"\r\n", {{"header.i", "@example.com"}}}};
    CHECK(authres::format("mx.example", r, "\n") ==
          "Authentication-Results: mx.example; dkim=pass header.d=example.com\n"
          "\theader.b=\"Ab/+=\"; dkim=fail reason=\"bad \\\"sig\\\"\" header.i=@example.com\n");
    CHECK(authres::format("mx", {}, "\r\n") == "Authentication-Results: mx; none\r\n");

    mail::Header h;
    mail::parse_fields("Authentication-Results: MX.example; spf=pass\n"
                       "Received: from x\n"
                       "Authentication-Results: (c) mx.example 1; dkim=pass\n"
                       "Authentication-Results: other.example; dkim=pass\n",
                       h.fields);
    CHECK(*authres::authserv_id_of(h.fields[2]) == "mx.example");
    CHECK(authres::own_block(h, "mx.example") == 1);
    CHECK(authres::remove_forged(h, "mx.example") == 1);
    REQUIRE(h.fields.size() == 3);
    CHECK(h.fields[2].raw.find("other.example") != std::string::npos);
}

TEST_CASE("Authentication-Results: a long reason folds inside its quotes") {
    std::string reason = "key lookup failed: brisbane._domainkey.football.example.com/TXT: 127.0.0.1@5353: no reply "
                         "(timeout or network error)";
    std::string f = authres::format("mx.example", {{"dkim", "temperror", reason, {{"header.d", "example.com"}}}}, "\n");
    for (std::size_t start = 0, nl; (nl = f.find('\n', start)) != std::string::npos; start = nl + 1)
        CHECK(nl - start + (start ? 7 : 0) <= 78);
    // Unfolded, the value reads back as it was given.
    std::string unfolded;
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i] == '\n' && i + 1 < f.size() && f[i + 1] == '\t') {
            unfolded += ' ';
            ++i;
        } else if (f[i] != '\n') {
            unfolded += f[i];
        }
    }
    CHECK(unfolded == "Authentication-Results: mx.example; dkim=temperror reason=\"" + reason + "\" header.d=example.com");
}

TEST_CASE("reader: a header of more lines than the limit is cut, nothing lost") {
    std::string msg;
    for (std::size_t i = 0; i < mail::kMaxHeaderLines + 10; ++i) msg += "a\n";
    msg += "\nbody\n";
    auto p = read_message(msg);
    CHECK(p.header.fields.size() == mail::kMaxHeaderLines);
    CHECK(p.header.separator.empty());
    std::string rest;
    for (int i = 0; i < 10; ++i) rest += "a\n";
    CHECK(p.body == rest + "\nbody\n");
}

TEST_CASE("Authentication-Results: removing many forged fields") {
    mail::Header h;
    std::string block = "Received: x\n";
    for (int i = 0; i < 20000; ++i) block += "Authentication-Results: mx; dkim=pass\nX: y\n";
    mail::parse_fields(block, h.fields);
    CHECK(authres::remove_forged(h, "mx") == 20000);
    CHECK(h.fields.size() == 20001);
}

TEST_CASE("header-text sanitiser: 8-bit bytes and controls are escaped, never deleted") {
    CHECK(printable("ex\xc3\xa4mple.com") == "ex\\xc3\\xa4mple.com");
    CHECK(printable("m\xc3\xa9x.test") == "m\\xc3\\xa9x.test");
    CHECK(printable("a\x7f\x1b[2J") == "a\\x7f\\x1b[2J");
    CHECK(printable("  a \t\r\n b  ") == "a b");
    // Capped: a longer text ends in "...", an escape is never cut.
    CHECK(printable("abcdefgh", 8) == "abcdefgh");
    CHECK(printable("abcdefghi", 8) == "abcde...");
    CHECK(printable("ab\xff\xff" "cdef", 8) == "ab...");
    CHECK(printable("ab\xff" "cdef", 9) == "ab\\xff...");
    CHECK(printable(std::string(300, 'x')).size() == 200);
    // Idempotent: A-R quoting sanitises values a second time.
    for (std::string t : {std::string("ex\xc3\xa4mple.com"), std::string(300, '\xe9'), std::string("a\\xffb")})
        CHECK(printable(printable(t)) == printable(t));
    // In Authentication-Results an escaped value is quoted, its backslashes
    // quoted-pairs (RFC 5322 3.2.4), so a reader decodes the escape text.
    CHECK(authres::format("mx", {{"dkim", "permerror", "", {{"header.d", "ex\xc3\xa4mple.com"}}}},
                          "\n") == "Authentication-Results: mx; dkim=permerror header.d=\"ex\\\\xc3\\\\xa4mple.com\"\n");
}
