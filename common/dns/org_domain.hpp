// The organizational domain of RFC 7489 §3.2 (DMARC's relaxed alignment and
// the fallback policy lookup of --discovery psl), from the Public Suffix
// List through libpsl, beside the domain type it works on.
//
// Which list. Debian's publicsuffix package installs the list twice, in
// /usr/share/publicsuffix: public_suffix_list.dat (the text form) and
// public_suffix_list.dafsa (the same rules precompiled by libpsl's
// psl-make-dafsa); Debian's libpsl also carries a built-in copy made from the
// .dat when libpsl itself was built. libpsl's psl_latest(NULL) takes the
// newest of the files it was built to know (psl_dist_filename(): the .dafsa,
// psl_builtin_filename(): the .dat) by modification time when it is newer
// than the built-in copy, else the built-in copy. The standard list here
// makes the same choice, in the same order, so that a publicsuffix update
// reaches qauth without a rebuild, and remembers which one it took for
// --trace. On Debian 12 that is the .dafsa: it is newer than the built-in
// data, and loading it is one read of about 54 KB with no parsing (callgrind:
// 17,000 instructions, against 34 million to parse the 246 KB .dat).
//
// Private entries count. The list has an ICANN section and a private one
// (blogspot.com, github.io: names under which unrelated parties register).
// RFC 7489 §3.2 says only "a public suffix list"; the whole list is used
// here, as OpenDMARC and most DMARC implementations do, so that
// alice.github.io and bob.github.io are different organizations.
//
// Lazy. Nothing is loaded at program start: the standard list is read the
// first time it is asked for (PublicSuffixList::standard(), or
// organizational_domain()), i.e. only by a run that needs an organizational
// domain. It stays loaded for the life of the process.
//
// Override. QAUTH_PSL_FILE=FILE in the environment (tests, or an admin with a
// newer list) makes the standard list that file instead, .dat or .dafsa;
// when it cannot be loaded, that is an error, never a silent fall-back to
// the system list. A program option can do the same with
// PublicSuffixList::load().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dns/domain.hpp"
#include "util/result.hpp"

struct psl_ctx_st;

namespace qauth::dns {

/// A loaded Public Suffix List (https://publicsuffix.org/list/), ICANN and
/// private sections, with its wildcard ("*.kawasaki.jp") and exception
/// ("!city.kawasaki.jp") rules and the implicit "*" rule for names under an
/// unlisted top-level domain.
class PublicSuffixList {
public:
    /// Loads `path`, in the text form (public_suffix_list.dat) or libpsl's
    /// DAFSA form (.dafsa); libpsl tells them apart by content. Fails when
    /// the file cannot be read or holds no rule.
    static Result<PublicSuffixList> load(const std::string& path);

    /// Loads the list the header comment describes: $QAUTH_PSL_FILE, else
    /// libpsl's psl_latest() choice. Each call loads it again: standard() is
    /// the call to use, this one is what it runs (and what tests can run).
    static Result<PublicSuffixList> load_default();

    /// The list this process uses: load_default() on the first call, kept
    /// for the life of the process. Every call gives the same answer, the
    /// error included.
    static Result<const PublicSuffixList*> standard();

    /// Where the rules came from, for --trace: the file's path, or
    /// "libpsl built-in list (from FILE, DATE)".
    const std::string& source() const { return source_; }

    /// The organizational domain of `d`, RFC 7489 §3.2: the longest public
    /// suffix that matches `d` (steps 1-3), with the next label of `d` in
    /// front (step 4): "a.b.example.co.uk" gives "example.co.uk". A name
    /// that is itself a public suffix ("co.uk", "github.io", a single label
    /// like "localhost" or "com") has no such label; its organizational
    /// domain is the name itself, so that alignment with it is the strict
    /// comparison. `d` is already lower-case without a trailing dot (Domain),
    /// as libpsl needs. Fails for the root and for a name with a byte
    /// outside ASCII: IDNs are asked in their A-label form (xn--), the form
    /// the list's IDN rules are matched in.
    Result<std::string> organizational_domain(const Domain& d) const;

private:
    struct Free {
        void operator()(psl_ctx_st* p) const;
    };
    PublicSuffixList(psl_ctx_st* ctx, std::string source) : ctx_(ctx), source_(std::move(source)) {}
    std::unique_ptr<psl_ctx_st, Free> ctx_;
    std::string source_;
};

/// RFC 7489 §3.2 with the standard list: PublicSuffixList::standard(), then
/// its organizational_domain(). The first call loads the list.
Result<std::string> organizational_domain(const Domain& d);

/// For --trace: the source() of the standard list when this process has
/// loaded it, nothing when no lookup needed it (it is not loaded just to
/// answer this); an error when loading it failed.
std::optional<Result<std::string>> public_suffix_list_used();

}  // namespace qauth::dns
