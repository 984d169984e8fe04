// common/mail: message reading, addresses, folding.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

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
    CHECK(p.header.truncated);
    CHECK(p.header.lines == 1);
    CHECK(p.header.bytes == 5);
    std::string all;
    for (auto& f : p.header.fields) all += f.raw;
    CHECK(all + p.header.separator + p.body == msg);
}

TEST_CASE("reader: consumed() is where the body starts in the input, whatever was read ahead") {
    const std::string big(200000, 'b');  // the first read takes 64 KiB of it
    const std::vector<std::string> messages = {"A: 1\n\n" + big, "A: 1\r\n\r\nx\r\n", "A: 1\n", "", "\n" + big,
                                               "A: 1\nB: " + std::string(100000, 'x') + "\n\nbody"};
    for (const auto& msg : messages) {
        auto p = read_message(msg, 64);  // the last one is cut: its body starts at B
        CAPTURE(msg.substr(0, 20));
        CHECK(p.header_consumed == msg.size() - p.body.size());
        CHECK(msg.substr(static_cast<std::size_t>(p.header_consumed)) == p.body);
        CHECK(p.consumed == msg.size());
    }
    CHECK(read_message("A: 1\n\nxyz").header_consumed == 6);
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

TEST_CASE("reader: exactly the line limit, then the separator: not truncated") {
    std::string msg;
    for (std::size_t i = 0; i < mail::kMaxHeaderLines; ++i) msg += "a\n";
    auto p = read_message(msg + "\nbody\n");
    CHECK_FALSE(p.header.truncated);
    CHECK(p.header.separator == "\n");
    CHECK(p.header.lines == mail::kMaxHeaderLines);
    CHECK(p.body == "body\n");
    CHECK_FALSE(read_message("A: b\n\nx").header.truncated);
    CHECK_FALSE(read_message("A: b").header.truncated);  // the input ended: the header is whole
}

TEST_CASE("reader: a header of more lines than the limit is cut, nothing lost") {
    std::string msg;
    for (std::size_t i = 0; i < mail::kMaxHeaderLines + 10; ++i) msg += "a\n";
    msg += "\nbody\n";
    auto p = read_message(msg);
    CHECK(p.header.fields.size() == mail::kMaxHeaderLines);
    CHECK(p.header.separator.empty());
    CHECK(p.header.truncated);
    CHECK(p.header.lines == mail::kMaxHeaderLines);
    std::string rest;
    for (int i = 0; i < 10; ++i) rest += "a\n";
    CHECK(p.body == rest + "\nbody\n");
}
