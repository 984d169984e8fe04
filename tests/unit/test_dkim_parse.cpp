// Tag lists, signatures, key records and header selection (RFC 6376 §3).
#include <doctest/doctest.h>

#include <limits>

#include "dkim/header_hash.hpp"
#include "dkim/key_record.hpp"
#include "dkim/result.hpp"
#include "dkim/signature.hpp"
#include "util/tag_list.hpp"

using namespace qauth;

TEST_CASE("tag list: whitespace, trailing semicolon, duplicates") {
    auto t = parse_tag_list(" a = 1 ;b=x y\r\n\t z; ");
    REQUIRE(t);
    REQUIRE(t->tags.size() == 2);
    CHECK(t->tags[0].name == "a");
    CHECK(t->tags[0].value == "1");
    CHECK(*t->find("b") == "x y\r\n\t z");
    CHECK(t->find("c") == nullptr);
    CHECK_FALSE(parse_tag_list("a=1; a=2"));
    CHECK_FALSE(parse_tag_list("a=1; b"));
    CHECK_FALSE(parse_tag_list("1a=1"));
    CHECK(parse_tag_list("")->tags.empty());
    CHECK(parse_tag_list("v=")->tags[0].value.empty());
}

namespace {
const char* kSig =
    " v=1; a=rsa-sha256; c=relaxed/simple; d=Example.COM; i=joe=40sub.example.com;\r\n"
    "\tq=dns/txt; s=sel; t=100; x=200; l=42; h=From : To :\r\n subject;\r\n"
    "\tbh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b=AbCd EfGh\r\n\tIjKl";
}

TEST_CASE("signature: all tags") {
    auto s = dkim::parse_signature(kSig);
    REQUIRE(s);
    CHECK(s->algorithm.key == crypto::KeyType::Rsa);
    CHECK(s->header_canon == dkim::Canon::Relaxed);
    CHECK(s->body_canon == dkim::Canon::Simple);
    CHECK(s->domain == "Example.COM");
    CHECK(s->identity == "joe@sub.example.com");
    CHECK(s->selector == "sel");
    CHECK(*s->length == 42);
    CHECK(*s->timestamp == 100);
    CHECK(*s->expiration == 200);
    CHECK(s->headers == std::vector<std::string>{"From", "To", "subject"});
    CHECK(s->b_text == "AbCdEfGhIjKl");
    CHECK(s->body_hash.size() == 32);
    CHECK(dkim::check_expiry(*s, 50));
    CHECK(dkim::check_expiry(*s, 200));
    CHECK_FALSE(dkim::check_expiry(*s, 201));
}

TEST_CASE("signature: rules of 6.1.1") {
    std::string base = "v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=from";
    CHECK(dkim::parse_signature(base));
    CHECK(dkim::parse_signature(base)->header_canon == dkim::Canon::Simple);
    CHECK(dkim::parse_signature(base)->identity == "@example.com");
    CHECK_FALSE(dkim::parse_signature("v=2; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=from"));
    CHECK_FALSE(dkim::parse_signature("v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=to"));
    CHECK_FALSE(dkim::parse_signature("v=1; a=rsa-md5; d=example.com; s=s; bh=AAAA; b=AAAA; h=from"));
    CHECK_FALSE(dkim::parse_signature(base + "; i=a@example.org"));
    CHECK(dkim::parse_signature(base + "; i=a@SUB.Example.com"));
    CHECK_FALSE(dkim::parse_signature(base + "; i=a@badexample.com"));
    CHECK_FALSE(dkim::parse_signature(base + "; c=foobar"));
    CHECK_FALSE(dkim::parse_signature(base + "; q=http/get"));
    CHECK(dkim::parse_signature(base + "; q=foo/bar:dns/txt"));
    CHECK_FALSE(dkim::parse_signature(base + "; t=10; x=5"));
    CHECK_FALSE(dkim::parse_signature(base + "; l=-1"));
    CHECK_FALSE(dkim::parse_signature("v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=!!!; h=from"));
    CHECK_FALSE(dkim::parse_signature("v=1; a=rsa-sha256; d=../x; s=s; bh=AAAA; b=AAAA; h=from"));
}

TEST_CASE("key record parsing (3.6.1)") {
    auto k = dkim::parse_key_record("v=DKIM1; k=ed25519; h=sha256; t=y:s; s=email; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    REQUIRE(k);
    CHECK(k->type == crypto::KeyType::Ed25519);
    CHECK(k->testing);
    CHECK(k->strict);
    CHECK(k->public_key.size() == 32);
    CHECK(dkim::key_allows_hash(*k, crypto::HashAlg::Sha256));
    CHECK_FALSE(dkim::key_allows_hash(*k, crypto::HashAlg::Sha1));
    CHECK(dkim::parse_key_record("p=")->public_key.empty());  // revoked
    CHECK_FALSE(dkim::parse_key_record("v=DKIM3; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record("k=foobar; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record("s=chat; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record("k=rsa; t; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record(""));
    CHECK_FALSE(dkim::parse_key_record("v=DKIM1; p=MIGfMA0"));  // truncated base64
    CHECK(dkim::parse_key_record("v=DKIM1; x1 = extra ; t = y:n:extra; p=AAAA ;"));
    CHECK(dkim::key_query_name("sel", "example.com") == "sel._domainkey.example.com");
}

TEST_CASE("header selection from the bottom (5.4.2), absent instances add nothing") {
    mail::Header h;
    mail::parse_fields("Received: r1\nX: first\nFrom: a@b\nX: second\nSubject: s\n", h.fields);
    std::string out;
    dkim::signed_header_data(h, {"x", "X", "x", "from", "from"}, dkim::Canon::Relaxed, "DKIM-Signature: b=", out);
    CHECK(out == "x:second\r\nx:first\r\nfrom:a@b\r\ndkim-signature:b=");
}

TEST_CASE("b= value removal keeps the tag (3.7)") {
    CHECK(dkim::remove_b_value("DKIM-Signature: a=1; b=abc\r\n def; bh=x\r\n") == "DKIM-Signature: a=1; b=; bh=x\r\n");
    CHECK(dkim::remove_b_value("DKIM-Signature: a=1; bh=x; b=\r\n\tabc\r\n") == "DKIM-Signature: a=1; bh=x; b=");
    CHECK(dkim::remove_b_value("DKIM-Signature: a=1;b =zz") == "DKIM-Signature: a=1;b =");
}

TEST_CASE("DKIM quoted-printable") {
    CHECK(*dkim::decode_dkim_qp("=6Along@example.com") == "jlong@example.com");
    CHECK_FALSE(dkim::decode_dkim_qp("a=4"));
    CHECK_FALSE(dkim::decode_dkim_qp("a=ZZ"));
}

TEST_CASE("tag list: at most 64 tags") {
    std::string list;
    for (int i = 0; i < 64; ++i) list += "t" + std::to_string(i) + "=x;";
    CHECK(parse_tag_list(list));
    CHECK_FALSE(parse_tag_list(list + "t64=x"));
}

TEST_CASE("numbers longer than 12 digits are infinite (3.5); 8-bit bytes in ignored key tags") {
    std::string base = "v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=from";
    auto s = dkim::parse_signature(base + "; t=1; x=99999999999999999999");
    REQUIRE(s);
    CHECK(dkim::check_expiry(*s, 999999999999));
    auto l = dkim::parse_signature(base + "; l=123456789012345678901234567890");
    REQUIRE(l);
    CHECK(*l->length == std::numeric_limits<std::uint64_t>::max());
    CHECK_FALSE(dkim::parse_signature(base + "; x=12a"));
    CHECK(dkim::parse_key_record("v=DKIM1; n=\xe9t\xe9; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record("v=DKIM1; n=a\x01; p=AAAA"));
    CHECK(dkim::encode_dkim_qp("a;b=c@x") == "a=3Bb=3Dc@x");
    CHECK(*dkim::decode_dkim_qp(dkim::encode_dkim_qp("a;b=c @x\xff")) == "a;b=c @x\xff");
}

TEST_CASE("tag values are case-sensitive (RFC 6376 3.2): upper-case forms are refused") {
    const std::string tail = "; d=example.com; s=s; bh=AAAA; b=AAAA; h=from";
    CHECK(dkim::parse_signature("v=1; a=rsa-sha256; c=relaxed/relaxed; q=dns/txt" + tail));
    CHECK_FALSE(dkim::parse_signature("v=1; a=RSA-SHA256" + tail));
    CHECK_FALSE(dkim::parse_signature("v=1; a=Ed25519-SHA256" + tail));
    CHECK_FALSE(dkim::parse_signature("v=1; a=rsa-sha256; c=Relaxed/Relaxed" + tail));
    CHECK_FALSE(dkim::parse_signature("v=1; a=rsa-sha256; c=relaxed/SIMPLE" + tail));
    CHECK_FALSE(dkim::parse_signature("v=1; a=rsa-sha256; q=DNS/TXT" + tail));
    CHECK(dkim::parse_key_record("v=DKIM1; k=rsa; h=sha256; s=email; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record("v=DKIM1; k=RSA; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record("v=DKIM1; k=Ed25519; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record("v=DKIM1; h=SHA256; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record("v=DKIM1; s=EMAIL; p=AAAA"));
    CHECK_FALSE(dkim::parse_key_record("v=dkim1; p=AAAA"));
    // Not enumerated words: domains compare without case (DNS), field names too (5.4).
    auto s = dkim::parse_signature("v=1; a=rsa-sha256; d=Example.COM; s=Sel; bh=AAAA; b=AAAA; h=FROM:To; i=@SUB.example.com");
    REQUIRE(s);
    CHECK(s->domain == "Example.COM");
}

TEST_CASE("DKIM result vocabulary: RFC 8601 2.7.1 words, reasons from one table") {
    using dkim::DkimResult;
    using dkim::Failure;
    CHECK(dkim::result_name(DkimResult::Policy) == "policy");
    CHECK(dkim::result_name(DkimResult::TempError) == "temperror");
    dkim::SignatureResult r;
    r.failure = Failure::BodyHash;
    CHECK(r.reason() == "RFC 6376 6.1.3: body hash did not verify");
    r.failure = Failure::KeyLookup;
    r.detail = "x._domainkey.example.com/TXT: timeout";
    CHECK(r.reason() == "key lookup failed: x._domainkey.example.com/TXT: timeout");
    r.failure = Failure::BadSignature;  // the parser's reason is the whole text
    r.detail = "RFC 6376 3.5: missing b= tag";
    CHECK(r.reason() == "RFC 6376 3.5: missing b= tag");
    r = {};
    r.result = DkimResult::Pass;
    CHECK(r.reason().empty());
    std::vector<dkim::SignatureResult> rs(3);
    rs[0].result = DkimResult::Fail;
    rs[1].result = DkimResult::TempError;
    rs[2].result = DkimResult::Fail;
    rs[2].failure = Failure::SignatureBad;
    CHECK(dkim::best_result(rs) == DkimResult::TempError);
    rs[1].result = DkimResult::Policy;
    CHECK(dkim::best(rs) == &rs[0]);  // the topmost with the best result
    CHECK(dkim::best_result({}) == DkimResult::None);
}
