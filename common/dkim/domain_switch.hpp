// Signing switched on and off per domain (qauth-config dkim enable/disable,
// issue 10): a key made through run_keygen() (dkim/keygen.hpp), alias
// domains signed with it through a symlink, and a domain's key directory
// parked where the signer does not look, so that no key is destroyed.
//
// The keystore (dkim/keystore.hpp) signs the mail of DOMAIN with the keys in
// CONTROL/domainkeys/DOMAIN, the From domain, and follows symlinks: with
// domainkeys/ALIAS -> DOMAIN the mail of ALIAS is signed with d=ALIAS and
// DOMAIN's key, whose record is published at SELECTOR._domainkey.ALIAS too.
// A disabled domain's directory is domainkeys/.disabled/DOMAIN: ".disabled"
// is no domain name, so the signer never reads it, and the aliases' links
// dangle (the signer then passes their mail unsigned too) until it is back.
#pragma once

#include <string>
#include <vector>

#include "dkim/keygen.hpp"
#include "util/result.hpp"

namespace qauth::dkim {

/// The directory under domainkeys/ where disabled domains are parked.
inline constexpr const char* kDisabledDir = ".disabled";

struct EnableOutcome {
    bool restored = false;             ///< the domain came back from domainkeys/.disabled
    bool made_key = false;             ///< a new key was made (none existed, or replace)
    std::string key_file;
    std::vector<std::string> linked;   ///< aliases newly linked to the domain
};

/// Turns signing on for `request.domain`: brings its key directory back from
/// domainkeys/.disabled when it is there, makes the key of
/// `request.selector` unless it exists and `request.replace` is false (then
/// the existing key's records are printed and its selector made active),
/// hands the records for the domain and every alias to `publish`, and links
/// domainkeys/ALIAS -> DOMAIN for each alias. Refusals (usage errors, nothing
/// changed): an alias whose domainkeys entry is anything but a link to DOMAIN
/// (it has keys of its own), DOMAIN itself an alias (a link), DOMAIN both
/// active and parked. Other errors name the file.
Result<EnableOutcome> enable_signing(const KeygenRequest& request, const Publish& publish);

struct DisableOutcome {
    bool already = false;                ///< it was disabled already: nothing changed
    std::string alias_of;                ///< DOMAIN was an alias of this domain: its link was removed
    std::string parked;                  ///< where the key directory is now
    std::vector<std::string> aliases;    ///< aliases linked to DOMAIN, unsigned now too
};

/// Stops signing for `domain` without destroying a key: its key directory is
/// renamed to domainkeys/.disabled/DOMAIN (both directories fsync'ed); an
/// alias's link is removed instead. A domain without a key directory is a
/// usage error.
Result<DisableOutcome> disable_signing(const std::string& control_dir, const std::string& domain);

/// One domain under domainkeys/, for `qauth-config dkim show`.
struct DomainState {
    std::string domain;
    enum class State { Enabled, Alias, Disabled } state = State::Enabled;
    std::string alias_of;                ///< State::Alias: the link's target
    bool signed_now = true;              ///< State::Alias: the target exists (not disabled)
    std::vector<std::string> selectors;  ///< Enabled, Disabled: the active selectors (the selector file, else "default")
};

/// Every domain in domainkeys/ and domainkeys/.disabled/, sorted by name;
/// empty when there is no domainkeys directory. Errors name what cannot be read.
Result<std::vector<DomainState>> signing_domains(const std::string& control_dir);

}  // namespace qauth::dkim
