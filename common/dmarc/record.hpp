// DMARC policy records (RFC 9989 §4.7 tags, §4.8 formal definition; it
// obsoletes RFC 7489, whose §6.3, §6.4 and §6.6.3 the older mode follows):
// telling a DMARC record from other TXT records, choosing the one record
// among a name's TXT records, and parsing its tags into typed values.
//
// The grammar is the DKIM tag list (util/tag_list.hpp splits it), read
// leniently as DMARC asks: tag names and keyword values are
// case-insensitive (ABNF quoted strings, RFC 5234 §2.3), unknown tags are
// ignored, and a syntax error in an optional tag replaces it by its default
// (RFC 7489 §6.3: "Syntax errors in the remainder of the record SHOULD be
// discarded in favor of default values (if any) or ignored outright"),
// each such replacement noted in Record::warnings for --trace. Reasons cite
// RFC 7489's sections, whose rules RFC 9989 keeps, unless a rule is RFC
// 9989's own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dmarc/result.hpp"
#include "util/result.hpp"

namespace qauth::dmarc {

/// Which specification reads the record.
///  - Dmarcbis (the default): RFC 9989. A missing p= means none; t= and psd=
///    are read; pct= is no longer part of the record: it is ignored (Record::
///    pct stays 100, t=y took its place).
///  - Rfc7489: RFC 7489 as OpenDMARC reads it. pct= is read; t= and psd= are
///    unknown tags (ignored); a record without a valid p= (or with an invalid
///    sp=) counts only when it has a valid rua= URI, and then as p=none
///    (§6.6.3, last paragraph).
/// Both modes read np= (RFC 9091 §4 added it to RFC 7489 records; RFC 9989
/// keeps it) and the reporting tags rua=, ruf=, fo=, ri=, rf= (RFC 9989
/// drops ri= and rf=; they are parsed for reporting code and nothing here
/// acts on them).
enum class Rfc { Dmarcbis, Rfc7489 };

/// A parsed DMARC record with every default filled in (RFC 7489 §6.3).
struct Record {
    Policy p = Policy::None;
    /// sp=: policy for subdomains found via the organizational domain's
    /// record; absent means "as p".
    std::optional<Policy> sp;
    /// np=: policy for non-existent subdomains; absent means "as sp, else p".
    std::optional<Policy> np;
    /// pct= (RFC 7489 only): percentage 0-100 of failing mail the policy
    /// applies to. Always 100 in Dmarcbis mode.
    int pct = 100;
    Alignment adkim = Alignment::Relaxed;
    Alignment aspf = Alignment::Relaxed;
    /// t=y (RFC 9989 only): testing mode, apply the next lower policy.
    bool testing = false;
    /// psd= (RFC 9989 only): 'y' the name is a public suffix domain, 'n' it
    /// is an organizational domain, 'u' (the default) unknown.
    char psd = 'u';
    /// rua=, ruf=: the syntactically valid report URIs as written (with any
    /// "!size" suffix), in order; not sanitised (callers that print them use
    /// printable()).
    std::vector<std::string> rua;
    std::vector<std::string> ruf;
    /// fo=: failure reporting options, lower case, ':'-separated without
    /// whitespace ("0", "1:d").
    std::string fo = "0";
    /// ri=: aggregate report interval in seconds.
    std::uint32_t ri = 86400;
    /// rf=: failure report formats, lower case, ':'-separated.
    std::string rf = "afrf";
    /// One line per tag that was invalid or repeated and so replaced by its
    /// default or ignored, citing the rule ("RFC 7489 6.3: pct=\"150\" is
    /// not 0-100, using 100"). Values shown through printable().
    std::vector<std::string> warnings;

    friend bool operator==(const Record&, const Record&) = default;
};

/// Bounds of qauth's own (the RFCs set none): a DMARC record is a few
/// hundred bytes. A record past them is no policy, so they are set where a
/// TXT RRset ends (64 KiB), and unknown tags, which the RFC tells us to
/// ignore, cannot push a p=reject out of reach below that: a record of
/// 1000 tags is read.
constexpr std::size_t kMaxRecordSize = 64 * 1024;
constexpr std::size_t kMaxTags = 1000;
/// At most this many URIs are kept per rua=/ruf= (the rest are dropped
/// with a warning). RFC 7489 §6.2 lets receivers limit the number of URIs
/// they report to, as long as they support at least two.
constexpr std::size_t kMaxUris = 16;

/// True when `text` starts with the version tag: "v" *WSP "=" *WSP
/// "DMARC1", then *WSP and ';' or the end (RFC 7489 §6.4 dmarc-version and
/// dmarc-sep; RFC 9989 keeps them). "DMARC1" is case-sensitive (%x44 %x4d
/// ...: "v=dmarc1" is not a record); the tag name "v", an ABNF quoted
/// string, is not ("V=DMARC1" is one). Nothing may precede the tag, and
/// "v=DMARC10" or "v=DMARC1 p=none" is not a record. WSP is SP and HTAB.
bool is_dmarc_record(std::string_view text);

/// Chooses the DMARC record among the TXT records of one _dmarc name, each
/// given with its strings already joined (RFC 7489 §6.6.3 steps 4-5).
/// Records that are not is_dmarc_record() are ignored. Returns:
///  - the one record;
///  - nullopt when there is none;
///  - an error when there are several (step 6: "If the remaining set
///    contains multiple records or no records, policy discovery terminates
///    and DMARC processing is not applied"). The caller treats the error
///    exactly like nullopt, as no policy at this name; it is an error only
///    so that --trace can say why ("RFC 7489 6.6.3: 2 v=DMARC1 records").
///    Whether discovery then goes on to the next name is the discovery
///    code's decision, not this function's.
/// Whether the chosen record parses is not checked here: a broken record
/// still counts in the step 6 tally, as the RFC counts records by "v=".
Result<std::optional<std::string_view>> select_record(std::span<const std::string> txt_records);

/// Parses a DMARC record (RFC 7489 §6.3, §6.4; RFC 9989) read as `rfc`
/// says (see Rfc). Tag names and the keyword values (p=REJECT, adkim=S,
/// fo=D) are case-insensitive; whitespace around '=' and ';' and a
/// trailing ';' are allowed; unknown tags are ignored; an optional tag with
/// an invalid value, a repeated tag (the first one counts) and a tag-spec
/// without '=' are ignored with a line in Record::warnings. p= may appear
/// anywhere after v=.
/// Errors (the record is then no policy, as if absent): text longer than
/// kMaxRecordSize or with more than kMaxTags tags, text that is not
/// is_dmarc_record(), and in Rfc7489 mode a record without a valid p= (or
/// with an invalid sp=) and without a valid rua= URI (§6.6.3).
Result<Record> parse_record(std::string_view text, Rfc rfc = Rfc::Dmarcbis);

/// The record in canonical form, as parse_record() in mode `rfc` reads it
/// back to the same Record (without warnings): "v=DMARC1; p=reject; ..."
/// with every tag that differs from its default, in the order of RFC 7489
/// §6.3. For --trace and for tests.
std::string record_text(const Record& record, Rfc rfc = Rfc::Dmarcbis);

}  // namespace qauth::dmarc
