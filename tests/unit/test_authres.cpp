// common/authres: the Authentication-Results fields we write (RFC 8601),
// finding the ones with our authserv-id, and removing forged ones.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "authres/authres.hpp"
#include "mail/header.hpp"

using namespace qauth;

namespace {

using authres::MethodResult;

/// The fields of a header block ("Name: value\n..." text).
mail::Header header_of(const std::string& block) {
    mail::Header h;
    mail::parse_fields(block, h.fields);
    return h;
}

/// The one field of `text`.
mail::HeaderField field(const std::string& text) {
    auto h = header_of(text);
    REQUIRE(h.fields.size() == 1);
    return h.fields[0];
}

/// The field text with its folds (eol + tab) turned back into one space.
std::string unfold(const std::string& f, const std::string& eol) {
    std::string out;
    for (std::size_t i = 0; i < f.size();) {
        if (f.compare(i, eol.size() + 1, eol + "\t") == 0) {
            out += ' ';
            i += eol.size() + 1;
        } else if (f.compare(i, eol.size(), eol) == 0) {
            i += eol.size();
        } else {
            out += f[i++];
        }
    }
    return out;
}

/// A one-property dkim=pass result whose header.d is `value`, formatted and
/// unfolded: how `value` comes out as a pvalue.
std::string with_pvalue(const std::string& value) {
    std::string f = unfold(authres::format("mx", {{"dkim", "pass", "", {{"header.d", value}}}}, "\n"), "\n");
    const std::string head = "Authentication-Results: mx; dkim=pass header.d=";
    REQUIRE(f.starts_with(head));
    return f.substr(head.size());
}

}  // namespace

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

TEST_CASE("Authentication-Results: removing many forged fields") {
    mail::Header h;
    std::string block = "Received: x\n";
    for (int i = 0; i < 20000; ++i) block += "Authentication-Results: mx; dkim=pass\nX: y\n";
    mail::parse_fields(block, h.fields);
    CHECK(authres::remove_forged(h, "mx") == 20000);
    CHECK(h.fields.size() == 20001);
}

TEST_CASE("Authentication-Results: every result word, methods separated by semicolons") {
    std::vector<MethodResult> r;
    for (auto res : {"none", "pass", "fail", "softfail", "neutral", "policy", "temperror", "permerror"})
        r.push_back({"spf", res, "", {}});
    CHECK(unfold(authres::format("mx.example", r, "\n"), "\n") ==
          "Authentication-Results: mx.example; spf=none; spf=pass; spf=fail; spf=softfail; spf=neutral; "
          "spf=policy; spf=temperror; spf=permerror");
}

TEST_CASE("Authentication-Results: pvalues are bare only as a token or one @ between token characters") {
    CHECK(with_pvalue("example.com") == "example.com");
    CHECK(with_pvalue("@example.com") == "@example.com");
    CHECK(with_pvalue("user@example.com") == "user@example.com");
    CHECK(with_pvalue("rsa-sha256") == "rsa-sha256");
    CHECK(with_pvalue("a@b@c") == "\"a@b@c\"");         // two @: not an address
    CHECK(with_pvalue("") == "\"\"");                   // an empty value is quoted
    CHECK(with_pvalue("two words") == "\"two words\"");  // SP is no token character
    CHECK(with_pvalue("a;b") == "\"a;b\"");              // tspecials are quoted
    CHECK(with_pvalue("a=b") == "\"a=b\"");
    CHECK(with_pvalue("Ab/+=") == "\"Ab/+=\"");          // a base64 header.b
    CHECK(with_pvalue("q\"uote") == "\"q\\\"uote\"");    // quote and backslash escaped
    CHECK(with_pvalue("back\\slash") == "\"back\\\\slash\"");
}

TEST_CASE("Authentication-Results: a reason is one quoted-string, escaped, without line breaks") {
    std::string f = authres::format(
        "mx.example", {{"dkim", "fail", "say \"no\" \\ now\r\nX-Injected: yes", {{"header.d", "example.com"}}}},
        "\n");
    std::string u = unfold(f, "\n");
    CHECK(u.starts_with("Authentication-Results: mx.example; dkim=fail reason=\"say \\\"no\\\" \\\\ now"));
    CHECK(u.ends_with("X-Injected: yes\" header.d=example.com"));
    // Line ends only where the field is folded: no CR, and every LF is
    // followed by the tab of a continuation line or ends the field.
    CHECK(f.find('\r') == std::string::npos);
    for (std::size_t nl = f.find('\n'); nl != std::string::npos; nl = f.find('\n', nl + 1))
        CHECK((nl + 1 == f.size() || f[nl + 1] == '\t'));
    CHECK(f.find("\nX-Injected") == std::string::npos);
}

TEST_CASE("Authentication-Results: CRLF folding at 78 columns, a tab on each continuation line") {
    std::vector<MethodResult> r;
    for (int i = 0; i < 6; ++i)
        r.push_back({"dkim", "pass", "", {{"header.d", "d" + std::to_string(i) + ".example.com"},
                                                    {"header.s", "selector" + std::to_string(i)}}});
    std::string f = authres::format("mx.example", r, "\r\n");
    REQUIRE(f.ends_with("\r\n"));
    int lines = 0;
    for (std::size_t start = 0, end; (end = f.find("\r\n", start)) != std::string::npos; start = end + 2, ++lines) {
        std::string line = f.substr(start, end - start);
        CHECK(line.find('\n') == std::string::npos);
        CHECK(line.size() + (start ? 7 : 0) <= 78);  // a tab counts as 8 columns
        if (start) CHECK(line[0] == '\t');
    }
    CHECK(lines > 2);
    CHECK(unfold(f, "\r\n").find("dkim=pass header.d=d5.example.com header.s=selector5") != std::string::npos);
}

TEST_CASE("Authentication-Results: the authserv-id is written cleaned of control characters") {
    std::string f = authres::format("mx\r\n.example", {}, "\n");
    CHECK(f.find('\r') == std::string::npos);
    CHECK(f.find('\n') == f.size() - 1);
    CHECK(f.starts_with("Authentication-Results: mx"));
    CHECK(f.ends_with(".example; none\n"));
}

TEST_CASE("valid_authserv_id: 1 to 255 RFC 2045 token characters") {
    CHECK(authres::valid_authserv_id("mx.example.com"));
    CHECK(authres::valid_authserv_id("mx_1-2.Example.COM."));
    CHECK(authres::valid_authserv_id("a"));
    CHECK(authres::valid_authserv_id(std::string(255, 'a')));
    CHECK_FALSE(authres::valid_authserv_id(std::string(256, 'a')));
    CHECK_FALSE(authres::valid_authserv_id(""));
    CHECK_FALSE(authres::valid_authserv_id("mx example"));
    CHECK_FALSE(authres::valid_authserv_id("mx;example"));
    CHECK_FALSE(authres::valid_authserv_id("user@mx"));
    CHECK_FALSE(authres::valid_authserv_id("mx/1"));
    CHECK_FALSE(authres::valid_authserv_id("\"mx\""));
    CHECK_FALSE(authres::valid_authserv_id("(mx)"));
    CHECK_FALSE(authres::valid_authserv_id("mx\t"));
    CHECK_FALSE(authres::valid_authserv_id("mx\x7f"));
    CHECK_FALSE(authres::valid_authserv_id("m\xc3\xa9x"));  // 8-bit
}

TEST_CASE("authserv_id_of: CFWS, comments, versions and quoted ids") {
    auto id = [](const std::string& text) { return authres::authserv_id_of(field(text)); };
    CHECK(id("Authentication-Results: mx.example; dkim=pass\n") == "mx.example");
    CHECK(id("Authentication-Results:mx.example;dkim=pass\n") == "mx.example");
    CHECK(id("Authentication-Results: mx.example 1; dkim=pass\n") == "mx.example");        // authres-version
    CHECK(id("Authentication-Results: mx.example(c); dkim=pass\n") == "mx.example");
    CHECK(id("Authentication-Results: (c) mx.example; dkim=pass\n") == "mx.example");
    CHECK(id("Authentication-Results: (a (nested) c) mx.example; none\n") == "mx.example");
    CHECK(id("Authentication-Results: (a \\) b) mx.example; none\n") == "mx.example");  // quoted-pair in a comment
    CHECK(id("Authentication-Results:\n\t (fold)\n\tmx.example;\n\tnone\n") == "mx.example");
    CHECK(id("Authentication-Results: \"mx.example\"; dkim=pass\n") == "mx.example");
    CHECK(id("Authentication-Results: \"m\\\"x\"; none\n") == "m\"x");
    CHECK(id("Authentication-Results: MX.Example.; none\n") == "MX.Example.");  // as written
    CHECK_FALSE(id("Authentication-Results: \"mx.example; none\n"));  // unterminated quote
    CHECK_FALSE(id("Authentication-Results: ; dkim=pass\n"));
    CHECK_FALSE(id("Authentication-Results: (only a comment)\n"));
    CHECK_FALSE(id("Authentication-Results: (unclosed mx.example; none\n"));
    CHECK_FALSE(id("Authentication-Results:\n"));
}

TEST_CASE("is_ours: ignoring case and one trailing dot, nothing else") {
    auto ours = [](const std::string& text, const char* id) { return authres::is_ours(field(text), id); };
    CHECK(ours("Authentication-Results: mx.example.com; none\n", "mx.example.com"));
    CHECK(ours("Authentication-Results: MX.Example.COM; none\n", "mx.example.com"));
    CHECK(ours("Authentication-Results: mx.example.com.; none\n", "mx.example.com"));
    CHECK(ours("Authentication-Results: mx.example.com; none\n", "MX.EXAMPLE.COM."));
    CHECK(ours("authentication-results: (c) \"mx.example.com\"; none\n", "mx.example.com"));
    CHECK_FALSE(ours("Authentication-Results: mx.example.com.evil; none\n", "mx.example.com"));
    CHECK_FALSE(ours("Authentication-Results: evil.mx.example.com; none\n", "mx.example.com"));
    CHECK_FALSE(ours("Authentication-Results: mx.example; none\n", "mx.example.com"));
    CHECK_FALSE(ours("Authentication-Results: mx.example.com..; none\n", "mx.example.com"));
    CHECK_FALSE(ours("X-Authentication-Results: mx.example.com; none\n", "mx.example.com"));
    CHECK_FALSE(ours("ARC-Authentication-Results: i=1; mx.example.com; none\n", "mx.example.com"));
    CHECK_FALSE(ours("Authentication-Results: ; none\n", "mx.example.com"));
}

TEST_CASE("own_block: the leading run of our A-R fields and Received-SPF, nothing after the first other field") {
    auto h = header_of(
        "Authentication-Results: mx; spf=pass\n"
        "Received-SPF: pass (mx: domain of a@b.example designates 192.0.2.1 as permitted sender)\n"
        "authentication-results: MX.; dkim=pass\n"
        "Received: from x\n"
        "Authentication-Results: mx; dkim=pass\n");
    CHECK(authres::own_block(h, "mx") == 3);
    CHECK(authres::own_block(h, "other") == 0);
    CHECK(authres::own_block(header_of("Received-SPF: none\nReceived-SPF: none\nFrom: a@b\n"), "mx") == 2);
    CHECK(authres::own_block(header_of("Authentication-Results: other; none\n"
                                       "Authentication-Results: mx; none\n"),
                             "mx") == 0);
    CHECK(authres::own_block(mail::Header{}, "mx") == 0);
}

TEST_CASE("remove_forged: ours below the own block go, the block and other ids stay, in order") {
    auto h = header_of(
        "Authentication-Results: mx; spf=pass\n"
        "Received: from x\n"
        "Authentication-Results: MX.; dkim=pass header.d=bank.example\n"
        "Authentication-Results: other; dkim=pass\n"
        "From: a@b.example\n"
        "Authentication-Results: (c) \"mx\"; dkim=pass\n"
        "Subject: s\n");
    CHECK(authres::remove_forged(h, "mx") == 2);
    REQUIRE(h.fields.size() == 5);
    CHECK(h.fields[0].raw == "Authentication-Results: mx; spf=pass\n");
    CHECK(h.fields[1].raw == "Received: from x\n");
    CHECK(h.fields[2].raw == "Authentication-Results: other; dkim=pass\n");
    CHECK(h.fields[3].raw == "From: a@b.example\n");
    CHECK(h.fields[4].raw == "Subject: s\n");
    // Nothing forged: nothing removed, nothing changed.
    CHECK(authres::remove_forged(h, "mx") == 0);
    CHECK(h.fields.size() == 5);
    auto clean = header_of("From: a@b\nAuthentication-Results: other; none\n");
    CHECK(authres::remove_forged(clean, "mx") == 0);
    CHECK(clean.fields.size() == 2);
}

TEST_CASE("Authentication-Results: a value with escaped 8-bit bytes is quoted") {
    // In Authentication-Results an escaped value is quoted, its backslashes
    // quoted-pairs (RFC 5322 3.2.4), so a reader decodes the escape text.
    CHECK(authres::format("mx", {{"dkim", "permerror", "", {{"header.d", "ex\xc3\xa4mple.com"}}}},
                          "\n") == "Authentication-Results: mx; dkim=permerror header.d=\"ex\\\\xc3\\\\xa4mple.com\"\n");
}
